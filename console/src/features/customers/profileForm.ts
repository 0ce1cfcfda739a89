/**
 * The profile form's values and the API's bodies: a blank field is "not given" when
 * creating and "cleared" (null) when changing; a change sends only what changed.
 */
import type { Customer, CustomerCreate, CustomerPatch, MailLanguage } from "./api/customers";

export const TEXT_FIELDS = [
  "phone",
  "email",
  "national_id",
  "company",
  "title",
  "industry",
  "company_size",
  "region",
  "address",
  "source_channel",
  "team",
] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/** The languages mail to a customer can be written in; none chosen means Chinese. */
export const MAIL_LANGUAGES: readonly MailLanguage[] = ["zh-CN", "en"];

export type ProfileValues = {
  name?: string;
  tags?: string[];
  language?: MailLanguage;
} & Partial<Record<TextField, string>>;

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function toCreateBody(values: ProfileValues): CustomerCreate {
  const body: CustomerCreate = { name: clean(values.name) ?? "" };
  for (const field of TEXT_FIELDS) {
    const value = clean(values[field]);
    if (value !== undefined) body[field] = value;
  }
  if (values.tags?.length) body.tags = values.tags;
  if (values.language) body.language = values.language;
  return body;
}

/** The form's starting values for a customer; masked personal numbers are left out,
 * so saving the form never writes a mask over the real number. */
export function toFormValues(customer: Customer): ProfileValues {
  const values: ProfileValues = {
    name: customer.name,
    tags: customer.tags,
    language: customer.language ?? undefined,
  };
  for (const field of TEXT_FIELDS) {
    if (customer.pii_masked && (field === "phone" || field === "national_id")) continue;
    values[field] = customer[field] ?? undefined;
  }
  return values;
}

export function toPatchBody(before: Customer, values: ProfileValues): CustomerPatch {
  const original = toFormValues(before);
  const changes: CustomerPatch = {};
  const name = clean(values.name);
  if (name !== undefined && name !== original.name) changes.name = name;
  for (const field of TEXT_FIELDS) {
    const now = clean(values[field]);
    const was = clean(original[field]);
    if (now === was) continue;
    if (before.pii_masked && (field === "phone" || field === "national_id") && now === undefined) {
      continue; // never shown, so never cleared from here
    }
    changes[field] = now ?? null;
  }
  const language = values.language ?? null;
  if (language !== (before.language ?? null)) changes.language = language;
  const tags = values.tags ?? [];
  if (tags.join("\n") !== (original.tags ?? []).join("\n")) changes.tags = tags;
  return changes;
}
