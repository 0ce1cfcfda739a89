import { describe, expect, it } from "vitest";

import { NEXT_QUOTE_STATUS, nextOrderStatuses } from "./documentFlow";

describe("what a sales document may become next", () => {
  it("offers a quote's next steps and none once decided", () => {
    expect(NEXT_QUOTE_STATUS.draft).toEqual(["sent"]);
    expect(NEXT_QUOTE_STATUS.sent).toEqual(["accepted", "rejected", "draft"]);
    expect(NEXT_QUOTE_STATUS.accepted).toEqual([]);
  });

  it("offers shipping only with a signed contract and cancelling only without payments", () => {
    const contract = { number: "HT-1", signed_at: "2026-12-01T00:00:00Z" };
    expect(nextOrderStatuses({ status: "placed", contract: null, paid: "0.00" })).toEqual([
      "confirmed",
      "cancelled",
    ]);
    expect(nextOrderStatuses({ status: "confirmed", contract: null, paid: "0.00" })).toEqual([
      "cancelled",
    ]);
    expect(nextOrderStatuses({ status: "confirmed", contract, paid: "10.00" })).toEqual([
      "shipped",
    ]);
    expect(nextOrderStatuses({ status: "completed", contract, paid: "10.00" })).toEqual([]);
  });
});
