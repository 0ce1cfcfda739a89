import { describe, expect, it } from "vitest";

import { lineAmount, price, scaled } from "./pricing";

describe("pricing as the sales service prices", () => {
  it("rounds each line half-up to cents after its discount", () => {
    expect(lineAmount({ quantity: "3", unit_price: "0.35", discount_percent: "50" })).toBe("0.53");
    expect(lineAmount({ quantity: "1.005", unit_price: "10.00" })).toBe("10.05");
    expect(lineAmount({ quantity: 2, unit_price: 19.99, discount_percent: 12.5 })).toBe("34.98");
  });

  it("takes the document discount from the lines' sum and tax from what remains", () => {
    const totals = price(
      [
        { quantity: "10", unit_price: "1200.00", discount_percent: "5" },
        { quantity: "1", unit_price: "8000.00" },
      ],
      "10",
      "13",
    );
    expect(totals).toEqual({
      subtotal: "19400.00",
      discount: "1940.00",
      taxable: "17460.00",
      tax: "2269.80",
      total: "19729.80",
    });
  });

  it("never goes through binary fractions", () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004.
    expect(
      price(
        [
          { quantity: 1, unit_price: 0.1 },
          { quantity: 1, unit_price: 0.2 },
        ],
        0,
        0,
      ).total,
    ).toBe("0.30");
    expect(scaled("12.345", 2)).toBe(1235n);
    expect(scaled("", 2)).toBe(0n);
    expect(scaled("abc", 2)).toBe(0n);
  });
});
