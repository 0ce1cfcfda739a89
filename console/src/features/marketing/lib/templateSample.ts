/** The sample customer a template preview is rendered for, in the reader's language.
 * The marketing API fills any placeholder left out from an English sample customer
 * (domain/templates.py SAMPLE_CUSTOMER), which reads as "Li Wei，双十二专享优惠" in a
 * Chinese template; the console gives the values a reader of its language expects. The
 * tier stays the API's (it is a code a real mail carries as is), and so does the
 * unsubscribe link. */
export const SAMPLE_FIELDS = [
  "customer_name",
  "company",
  "region",
  "campaign_name",
  "promotion_details",
] as const;

export type SampleField = (typeof SAMPLE_FIELDS)[number];

/** The placeholder values of the sample customer, each from `text` (the locale's
 * `template.sample.<field>`). */
export function sampleValues(text: (field: SampleField) => string): Record<SampleField, string> {
  return Object.fromEntries(SAMPLE_FIELDS.map((field) => [field, text(field)])) as Record<
    SampleField,
    string
  >;
}
