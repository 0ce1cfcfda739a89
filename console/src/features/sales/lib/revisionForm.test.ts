import dayjs from "dayjs";
import { describe, expect, it } from "vitest";

import { revisionValues, toTerms } from "./revisionForm";

const revision = {
  number: 2,
  lines: [
    {
      product: "排产系统",
      description: null,
      quantity: "3.000",
      unit_price: "1200.00",
      discount_percent: "5.00",
    },
  ],
  discount_percent: "10.00",
  tax_rate_percent: "13.00",
  valid_until: "2027-01-31",
  terms_text: null,
  totals: { subtotal: "0", discount: "0", taxable: "0", tax: "0", total: "0" },
  created_at: "2026-12-01T08:00:00Z",
  created_by: "usr_1",
};

describe("the new-revision form", () => {
  it("starts from the revision shown and sends back the same terms", () => {
    const values = revisionValues(revision);
    expect(values.valid_until?.format("YYYY-MM-DD")).toBe("2027-01-31");
    expect(toTerms(values)).toEqual({
      lines: [
        {
          product: "排产系统",
          description: null,
          quantity: "3.000",
          unit_price: "1200.00",
          discount_percent: "5.00",
        },
      ],
      discount_percent: "10.00",
      tax_rate_percent: "13.00",
      valid_until: "2027-01-31",
      terms_text: null,
    });
  });

  it("sends blanks as the API's defaults and trims what was typed", () => {
    expect(
      toTerms({
        lines: [{ product: " 服务 ", quantity: "2", unit_price: "99.5", discount_percent: "" }],
        discount_percent: "",
        tax_rate_percent: undefined,
        valid_until: dayjs("2027-03-01"),
        terms_text: "  ",
      }),
    ).toEqual({
      lines: [
        {
          product: "服务",
          description: null,
          quantity: "2",
          unit_price: "99.5",
          discount_percent: "0",
        },
      ],
      discount_percent: "0",
      tax_rate_percent: "0",
      valid_until: "2027-03-01",
      terms_text: null,
    });
  });
});
