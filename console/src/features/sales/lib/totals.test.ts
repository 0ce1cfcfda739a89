import { describe, expect, it } from "vitest";

import { fromCents, toCents, totalsOf } from "./totals";

describe("totalsOf", () => {
  it("adds decimal strings exactly, as cents", () => {
    const totals = totalsOf([
      { amount: "0.10", weighted_amount: "0.01" },
      { amount: "0.20", weighted_amount: "0.02" },
      { amount: "100000.00", weighted_amount: "60000.00" },
    ]);
    expect(totals).toEqual({ count: 3, amount: "100000.30", weighted: "60000.03" });
  });

  it("is zero for an empty column", () => {
    expect(totalsOf([])).toEqual({ count: 0, amount: "0.00", weighted: "0.00" });
  });

  it("converts both ways", () => {
    expect(toCents("12.345")).toBe(1235);
    expect(toCents(null)).toBe(0);
    expect(fromCents(-105)).toBe("-1.05");
  });
});
