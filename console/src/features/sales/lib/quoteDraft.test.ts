import { describe, expect, it } from "vitest";

import type { Schemas } from "@/lib/api/client";

import { draftFor, orderFromQuote, quoteCreateBody, withTemplate } from "./quoteDraft";

const deal = {
  opportunity_id: "opp_1",
  customer_id: "cus_1",
  currency: "USD",
  product: "排产系统",
};

const totals = { subtotal: "0", discount: "0", taxable: "0", tax: "0", total: "0" };

describe("a new quote for a deal", () => {
  it("names the deal and its customer and starts with a unit of the deal's product", () => {
    const values = draftFor(deal);
    values.terms.lines[0] = { ...values.terms.lines[0], unit_price: "1200" };
    expect(quoteCreateBody(values)).toEqual({
      customer_id: "cus_1",
      opportunity_id: "opp_1",
      template_id: null,
      currency: "USD",
      terms: {
        lines: [
          {
            product: "排产系统",
            description: null,
            quantity: "1",
            unit_price: "1200",
            discount_percent: "0",
          },
        ],
        discount_percent: "0",
        tax_rate_percent: "0",
        valid_until: null,
        terms_text: null,
      },
    });
  });

  it("takes a template's terms and names the template", () => {
    const values = withTemplate(draftFor(deal), {
      template_id: "standard",
      terms: {
        lines: [
          {
            product: "实施服务",
            description: "现场部署",
            quantity: "2.000",
            unit_price: "8000.00",
            discount_percent: "5.00",
          },
        ],
        discount_percent: "0",
        tax_rate_percent: "13.00",
        valid_until: null,
        terms_text: "30 天内付款",
      },
    });
    const body = quoteCreateBody(values);
    expect(body.template_id).toBe("standard");
    expect(body.customer_id).toBe("cus_1");
    expect(body.terms?.lines).toEqual([
      {
        product: "实施服务",
        description: "现场部署",
        quantity: "2.000",
        unit_price: "8000.00",
        discount_percent: "5.00",
      },
    ]);
    expect(body.terms?.tax_rate_percent).toBe("13.00");
    expect(body.terms?.terms_text).toBe("30 天内付款");
  });
});

describe("the order from an accepted quote", () => {
  it("carries the accepted revision's lines, discount and tax and names the quote", () => {
    const line = (product: string, unit_price: string) => ({
      product,
      description: null,
      quantity: "1.000",
      unit_price,
      discount_percent: "0.00",
    });
    const quote = {
      quote_id: "quo_1",
      opportunity_id: "opp_1",
      customer_id: "cus_1",
      currency: "CNY",
      current_revision: 2,
      revisions: [
        {
          number: 1,
          lines: [line("旧", "1.00")],
          discount_percent: "0.00",
          tax_rate_percent: "0.00",
          totals,
          created_at: "2026-12-01T08:00:00Z",
        },
        {
          number: 2,
          lines: [line("排产系统", "1200.00")],
          discount_percent: "10.00",
          tax_rate_percent: "13.00",
          totals,
          created_at: "2026-12-02T08:00:00Z",
        },
      ],
    } as unknown as Schemas["QuoteOut"];
    expect(orderFromQuote(quote)).toEqual({
      quote_id: "quo_1",
      opportunity_id: "opp_1",
      customer_id: "cus_1",
      currency: "CNY",
      lines: [line("排产系统", "1200.00")],
      discount_percent: "10.00",
      tax_rate_percent: "13.00",
    });
  });
});
