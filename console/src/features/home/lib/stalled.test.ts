import { describe, expect, it } from "vitest";

import { stalledDeals } from "./stalled";

const now = new Date("2026-03-01T00:00:00Z");

describe("stalledDeals", () => {
  it("keeps open deals idle at least their pipeline's stall days", () => {
    const deals = [
      { id: "a", pipeline_id: "p", status: "open", stage_changed_at: "2026-02-20T00:00:00Z" },
      { id: "b", pipeline_id: "p", status: "open", stage_changed_at: "2026-02-01T00:00:00Z" },
      { id: "c", pipeline_id: "q", status: "open", stage_changed_at: "2026-02-20T00:00:00Z" },
      { id: "d", pipeline_id: "q", status: "won", stage_changed_at: "2026-01-01T00:00:00Z" },
    ];
    const found = stalledDeals(deals, new Map([["q", 5]]), now).map((deal) => deal.id);
    expect(found).toEqual(["b", "c"]);
  });
});
