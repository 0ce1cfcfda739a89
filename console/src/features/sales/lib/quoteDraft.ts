/**
 * A new quote drawn up for a deal, and the order placed from an accepted quote: the
 * form's values, where they start, and the bodies the API takes (POST /api/v1/quotes,
 * POST /api/v1/orders).
 */
import type { Schemas } from "@/lib/api/client";

import { type OfferedTerms, type RevisionValues, revisionValues, toTerms } from "./revisionForm";

type Quote = Schemas["QuoteOut"];
type QuoteCreate = Schemas["QuoteCreate"];
type OrderCreate = Schemas["OrderCreate"];

/** The currencies offered first; the deal's own is added when it is another. */
export const CURRENCIES = ["CNY", "USD", "EUR", "HKD", "JPY", "GBP"];

export interface QuoteDraftValues {
  customer_id: string;
  opportunity_id: string | null;
  template_id: string | null;
  currency: string;
  terms: RevisionValues;
}

/** What a deal's new quote starts from: its customer, its currency and one blank line
 * (a unit of the deal's product when it names one). */
export function draftFor(deal: {
  opportunity_id: string;
  customer_id: string;
  currency: string;
  product?: string | null;
}): QuoteDraftValues {
  return {
    customer_id: deal.customer_id,
    opportunity_id: deal.opportunity_id,
    template_id: null,
    currency: deal.currency,
    terms: {
      lines: [{ product: deal.product ?? "", quantity: "1", discount_percent: "0" }],
      discount_percent: "0",
      tax_rate_percent: "0",
      valid_until: null,
      terms_text: "",
    },
  };
}

/** The form's terms replaced by a template's, the rest kept. */
export function withTemplate(
  values: QuoteDraftValues,
  template: { template_id: string; terms: OfferedTerms },
): QuoteDraftValues {
  return { ...values, template_id: template.template_id, terms: revisionValues(template.terms) };
}

/** The quote to draft: the terms as typed (the template only names where they came from). */
export function quoteCreateBody(values: QuoteDraftValues): QuoteCreate {
  return {
    customer_id: values.customer_id,
    opportunity_id: values.opportunity_id || null,
    template_id: values.template_id || null,
    currency: values.currency,
    terms: toTerms(values.terms),
  };
}

/** The order for an accepted quote: the lines, discount and tax of the revision the
 * customer accepted (the current one), in its currency, for its customer and deal. */
export function orderFromQuote(quote: Quote): OrderCreate {
  const accepted = quote.revisions.find((revision) => revision.number === quote.current_revision);
  if (!accepted)
    throw new Error(`quote ${quote.quote_id} has no revision ${quote.current_revision}`);
  return {
    quote_id: quote.quote_id,
    opportunity_id: quote.opportunity_id,
    customer_id: quote.customer_id,
    currency: quote.currency,
    lines: accepted.lines.map((line) => ({
      product: line.product,
      description: line.description ?? null,
      quantity: line.quantity,
      unit_price: line.unit_price,
      discount_percent: line.discount_percent,
    })),
    discount_percent: accepted.discount_percent ?? "0",
    tax_rate_percent: accepted.tax_rate_percent ?? "0",
  };
}
