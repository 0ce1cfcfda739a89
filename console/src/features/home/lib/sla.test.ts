import { describe, expect, it } from "vitest";

import { slaStanding } from "./sla";

const now = new Date("2026-01-10T10:00:00Z");
const clock = (over: Partial<Parameters<typeof slaStanding>[0]["resolution"]> = {}) => ({
  breached: false,
  running: true,
  warned: false,
  due_at: "2026-01-10T12:00:00Z",
  ...over,
});

describe("slaStanding", () => {
  it("watches the first response while it runs", () => {
    const standing = slaStanding({ first_response: clock(), resolution: clock() }, now);
    expect(standing).toEqual({
      clock: "firstResponse",
      state: "onTrack",
      dueAt: "2026-01-10T12:00:00Z",
    });
  });

  it("moves to resolution once answered, and warns", () => {
    const standing = slaStanding(
      { first_response: clock({ running: false }), resolution: clock({ warned: true }) },
      now,
    );
    expect(standing.clock).toBe("resolution");
    expect(standing.state).toBe("warning");
  });

  it("is breached when a clock breached or the running one is past due", () => {
    expect(
      slaStanding(
        { first_response: clock({ breached: true, running: false }), resolution: clock() },
        now,
      ).state,
    ).toBe("breached");
    expect(
      slaStanding(
        { first_response: clock({ due_at: "2026-01-10T09:00:00Z" }), resolution: clock() },
        now,
      ).state,
    ).toBe("breached");
  });
});
