import { describe, expect, it } from "vitest";

import { totalsOf } from "./totals";

describe("totalsOf", () => {
  it("adds decimal strings exactly", () => {
    const totals = totalsOf([
      { amount: "0.10", weighted_amount: "0.01" },
      { amount: "0.20", weighted_amount: "0.02" },
      { amount: "100000.00", weighted_amount: "60000.00" },
    ]);
    expect(totals).toEqual({ count: 3, amount: "100000.3", weighted: "60000.03" });
  });

  it("is zero for an empty column", () => {
    expect(totalsOf([])).toEqual({ count: 0, amount: "0", weighted: "0" });
  });
});
