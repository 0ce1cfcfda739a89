import { describe, expect, it } from "vitest";

import { builtInPolicy, clockState, durationParts, isBreached, type SlaClock } from "./sla";

const NOW = Date.parse("2026-01-01T10:00:00Z");

function clock(fields: Partial<SlaClock>): SlaClock {
  return {
    target_seconds: 3600,
    elapsed_seconds: 0,
    running: true,
    due_at: null,
    warn_at: null,
    stopped_at: null,
    warned: false,
    breached: false,
    ...fields,
  };
}

describe("clockState", () => {
  it("counts down to the due time", () => {
    const state = clockState(clock({ due_at: "2026-01-01T11:30:00Z" }), NOW);
    expect(state).toEqual({ kind: "running", secondsLeft: 5400, warned: false });
  });

  it("warns once the warning time has passed", () => {
    const state = clockState(
      clock({ due_at: "2026-01-01T10:10:00Z", warn_at: "2026-01-01T09:50:00Z" }),
      NOW,
    );
    expect(state).toMatchObject({ kind: "running", warned: true });
  });

  it("is overdue past the due time even before the scanner flags it", () => {
    const state = clockState(clock({ due_at: "2026-01-01T09:55:00Z" }), NOW);
    expect(state).toEqual({ kind: "overdue", secondsOver: 300 });
    expect(isBreached(state)).toBe(true);
  });

  it("is met or breached once stopped", () => {
    const stopped = { running: false, stopped_at: "2026-01-01T09:00:00Z" };
    expect(clockState(clock(stopped), NOW)).toEqual({ kind: "met" });
    expect(clockState(clock({ ...stopped, breached: true }), NOW)).toEqual({ kind: "breached" });
  });

  it("is paused while the ticket waits on the customer", () => {
    expect(clockState(clock({ running: false }), NOW)).toEqual({ kind: "paused" });
  });
});

describe("durationParts", () => {
  it("keeps the two largest parts", () => {
    expect(durationParts(2 * 86400 + 3 * 3600 + 120)).toEqual([
      { unit: "d", value: 2 },
      { unit: "h", value: 3 },
    ]);
    expect(durationParts(3 * 3600 + 12 * 60)).toEqual([
      { unit: "h", value: 3 },
      { unit: "m", value: 12 },
    ]);
  });

  it("says zero minutes for less than half a minute", () => {
    expect(durationParts(20)).toEqual([{ unit: "m", value: 0 }]);
  });
});

describe("builtInPolicy", () => {
  it("reads the tier and priority of a built-in default policy from its id", () => {
    expect(builtInPolicy("default-normal-normal")).toEqual({ tier: "normal", priority: "normal" });
    expect(builtInPolicy("default-svip-urgent")).toEqual({ tier: "svip", priority: "urgent" });
  });

  it("leaves a policy an administrator created to its own name", () => {
    expect(builtInPolicy("5f0c2b1e9a")).toBeNull();
    expect(builtInPolicy("default-gold-normal")).toBeNull();
    expect(builtInPolicy("my-default-normal-normal")).toBeNull();
  });
});
