/** The new-revision form's values and the terms the API takes from them. */
import dayjs, { type Dayjs } from "dayjs";

import type { Schemas } from "@/lib/api/client";

type Revision = Schemas["QuoteOut"]["revisions"][number];
type Terms = Schemas["Terms-Input"];

export interface LineValues {
  product?: string;
  description?: string;
  quantity?: string;
  unit_price?: string;
  discount_percent?: string;
}

export interface RevisionValues {
  lines: LineValues[];
  discount_percent?: string;
  tax_rate_percent?: string;
  valid_until?: Dayjs | null;
  terms_text?: string;
}

const blankToNull = (value: string | undefined) => (value?.trim() ? value.trim() : null);
const blankToZero = (value: string | undefined) => (value?.trim() ? value.trim() : "0");

/** What a revision or a quote template offers: the terms a form starts from. */
export type OfferedTerms = Pick<
  Revision,
  "lines" | "discount_percent" | "tax_rate_percent" | "valid_until" | "terms_text"
>;

/** The form filled from a revision (or a template's terms), so a new one starts from
 * what was offered. */
export function revisionValues(revision: OfferedTerms): RevisionValues {
  return {
    lines: revision.lines.map((line) => ({
      product: line.product,
      description: line.description ?? "",
      quantity: line.quantity,
      unit_price: line.unit_price,
      discount_percent: line.discount_percent,
    })),
    discount_percent: revision.discount_percent,
    tax_rate_percent: revision.tax_rate_percent,
    valid_until: revision.valid_until ? dayjs(revision.valid_until) : null,
    terms_text: revision.terms_text ?? "",
  };
}

/** The terms to send: numbers as the decimal strings typed, blanks as the API's
 * defaults (no description, 0 %), the date as YYYY-MM-DD. */
export function toTerms(values: RevisionValues): Terms {
  return {
    lines: values.lines.map((line) => ({
      product: line.product?.trim() ?? "",
      description: blankToNull(line.description),
      quantity: line.quantity?.trim() ?? "",
      unit_price: line.unit_price?.trim() ?? "",
      discount_percent: blankToZero(line.discount_percent),
    })),
    discount_percent: blankToZero(values.discount_percent),
    tax_rate_percent: blankToZero(values.tax_rate_percent),
    valid_until: values.valid_until ? values.valid_until.format("YYYY-MM-DD") : null,
    terms_text: blankToNull(values.terms_text),
  };
}
