/**
 * RFC 9457 problems as the API sends them, and what a screen does with them: field
 * errors go beside their fields, a 412 offers the newer version, anything else is a
 * message that keeps what the person typed.
 *
 * The API's titles, details and field reasons are English; the person reads the
 * console's own words in their language, chosen by the problem's type (else its
 * status) and by each field error's type (Pydantic's: missing, string_too_short,
 * value_error, enum, ...). The server's own words are added only where they say
 * something specific, and then second, in brackets.
 */
import type { FormInstance } from "antd";
import i18next, { type TFunction } from "i18next";

export interface FieldProblem {
  field: string;
  reason: string;
  type?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }

  get isConflict(): boolean {
    return this.status === 412 || this.status === 409;
  }
}

/** The body of a failed call as an ApiError; a network failure has status 0. */
export function toApiError(error: unknown, response?: Response): ApiError {
  if (error instanceof ApiError) return error;
  const problem = (typeof error === "object" && error !== null ? error : {}) as Problem;
  return new ApiError(response?.status ?? problem.status ?? 0, problem);
}

/** Unwraps an openapi-fetch result: the data, or an ApiError to throw. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.error, result.response);
  }
  return result.data as T;
}

/** `body.name` or `name` → the form's field path `["name"]`; `body.lines.0.qty` →
 * `["lines", 0, "qty"]`. Only the leading request part goes: a field itself named
 * `body` (`body.body`) stays `["body"]`. */
export function fieldPath(field: string): (string | number)[] {
  const parts = field.split(".");
  if (parts[0] === "body" || parts[0] === "query") parts.shift();
  return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Puts each field error beside its field, in the person's language; returns the
 * errors no field of the form shows (their reasons translated too), for a message
 * above it. */
export function showFieldErrors(
  form: FormInstance,
  error: unknown,
  t: TFunction = current,
): FieldProblem[] {
  if (!(error instanceof ApiError) || !error.problem.errors) return [];
  const known = new Set(
    Object.keys(form.getFieldsValue(true) as Record<string, unknown>).map((name) => name),
  );
  const unplaced: FieldProblem[] = [];
  const fields = [];
  for (const problem of fieldProblems(error.problem, t)) {
    const path = fieldPath(problem.field);
    if (path.length && known.has(String(path[0]))) {
      fields.push({ name: path, errors: [problem.reason] });
    } else {
      unplaced.push(problem);
    }
  }
  form.setFields(fields);
  return unplaced;
}

/** A failed form submission told where it belongs: field errors beside their fields,
 * and the text to show above the form, or null when every problem found its field. */
export function formProblem(form: FormInstance, error: unknown, t: TFunction): string | null {
  const unplaced = showFieldErrors(form, error, t);
  const placed = error instanceof ApiError && (error.problem.errors?.length ?? 0) > 0;
  return !placed || unplaced.length ? errorText(t, error) : null;
}

/** i18next's current language, for code that has no `t` at hand. */
const current: TFunction = ((key: string, options?: Record<string, unknown>) =>
  i18next.t(key, options)) as TFunction;

const COMMON = { ns: "common" } as const;

/** The common errors.* key of each problem type the platform sends. */
const BY_TYPE: Record<string, string> = {
  "validation-error": "errors.invalid",
  "bad-request": "errors.badRequest",
  "invalid-grant": "errors.badRequest",
  unauthenticated: "errors.unauthenticated",
  "invalid-client": "errors.unauthenticated",
  forbidden: "errors.forbidden",
  "not-found": "errors.notFound",
  "method-not-allowed": "errors.badRequest",
  conflict: "errors.stateConflict",
  "idempotency-in-progress": "errors.busy",
  "idempotency-key-reused": "errors.badRequest",
  "precondition-failed": "errors.conflict",
  "precondition-required": "errors.preconditionRequired",
  "payload-too-large": "errors.tooLarge",
  "rate-limited": "errors.rateLimited",
  "too-many-requests": "errors.rateLimited",
  "bad-gateway": "errors.unavailable",
  "service-unavailable": "errors.unavailable",
  "gateway-timeout": "errors.unavailable",
  "internal-error": "errors.server",
};

function byStatus(status: number): string {
  if (status === 0) return "errors.network";
  if (status === 401) return "errors.unauthenticated";
  if (status === 403) return "errors.forbidden";
  if (status === 404) return "errors.notFound";
  if (status === 409) return "errors.stateConflict";
  if (status === 412) return "errors.conflict";
  if (status === 413) return "errors.tooLarge";
  if (status === 422) return "errors.invalid";
  if (status === 428) return "errors.preconditionRequired";
  if (status === 429) return "errors.rateLimited";
  if (status === 502 || status === 503 || status === 504) return "errors.unavailable";
  if (status >= 500) return "errors.server";
  return "errors.badRequest";
}

function problemKey(error: unknown): string {
  if (!(error instanceof ApiError)) return "errors.server";
  const slug = error.problem.type?.split("/").pop();
  return (slug && BY_TYPE[slug]) || byStatus(error.status);
}

// Details that only restate the title in other words.
const GENERIC_DETAILS = new Set(["One or more fields are invalid."]);

/** The server's own words about a problem, when they say more than its kind: the
 * rule a 409 or 422 broke, not the wording of a 404 or a 500. */
export function problemDetail(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const { status, problem } = error;
  if (status < 400 || status >= 500 || [401, 403, 404, 412].includes(status)) return undefined;
  const detail = problem.detail?.trim();
  if (!detail || detail === problem.title || GENERIC_DETAILS.has(detail)) return undefined;
  return detail;
}

/** The main sentence for a failed call, in the person's language. */
export function problemText(t: TFunction, error: unknown): string {
  return t(problemKey(error), COMMON);
}

/** The sentence with the server's specific words, if any, after it in brackets: for
 * a message where there is no room for a second line. */
export function errorText(t: TFunction, error: unknown): string {
  const text = problemText(t, error);
  const detail = problemDetail(error);
  return detail ? t("errors.withDetail", { ...COMMON, text, detail }) : text;
}

/** The first number in a Pydantic message ("at least 3 characters" → "3"). */
function limitIn(reason: string): string | undefined {
  return /(-?\d+(?:\.\d+)?)/.exec(reason)?.[1];
}

/** Pydantic's error types and the fieldErrors.* key of each. */
const FIELD_TYPES: Record<string, string> = {
  missing: "missing",
  string_too_short: "tooShort",
  string_too_long: "tooLong",
  too_short: "itemsTooShort",
  too_long: "itemsTooLong",
  string_pattern_mismatch: "pattern",
  string_type: "text",
  int_type: "integer",
  int_parsing: "integer",
  int_from_float: "integer",
  float_type: "number",
  float_parsing: "number",
  decimal_type: "number",
  decimal_parsing: "number",
  finite_number: "number",
  decimal_max_places: "decimalPlaces",
  decimal_max_digits: "decimalDigits",
  decimal_whole_digits: "decimalDigits",
  bool_type: "boolean",
  bool_parsing: "boolean",
  greater_than: "greaterThan",
  greater_than_equal: "greaterOrEqual",
  less_than: "lessThan",
  less_than_equal: "lessOrEqual",
  multiple_of: "multipleOf",
  enum: "choice",
  literal_error: "choice",
  date_type: "date",
  date_parsing: "date",
  date_from_datetime_parsing: "date",
  date_from_datetime_inexact: "date",
  datetime_type: "dateTime",
  datetime_parsing: "dateTime",
  datetime_from_date_parsing: "dateTime",
  timezone_aware: "dateTime",
  time_type: "time",
  time_parsing: "time",
  uuid_type: "identifier",
  uuid_parsing: "identifier",
  url_type: "url",
  url_parsing: "url",
  url_scheme: "url",
  url_syntax_violation: "url",
  url_too_long: "url",
  list_type: "list",
  dict_type: "object",
  model_type: "object",
  model_attributes_type: "object",
  json_invalid: "json",
  extra_forbidden: "extra",
  frozen_field: "readOnly",
};

// Limits of one character or item are "required", not "at least 1".
const NOT_EMPTY = new Set(["tooShort", "itemsTooShort"]);

/** Our services' own reasons (no type), by what they say. */
function customKey(reason: string): string {
  if (/valid e-?mail/i.test(reason)) return "email";
  if (/^already (used|exists|taken)|already used/i.test(reason)) return "taken";
  if (/^(unknown|no such)\b/i.test(reason)) return "unknown";
  return "invalid";
}

/** One field error, in the person's language: our words for Pydantic's checks, and
 * for a rule of our own its category with the server's reason in brackets. */
export function fieldProblemText(problem: FieldProblem, t: TFunction = current): string {
  const reason = problem.reason.replace(/^(Value error|Assertion failed), /, "").trim();
  const known = problem.type ? FIELD_TYPES[problem.type] : undefined;
  if (known) {
    const limit = limitIn(reason);
    if (NOT_EMPTY.has(known) && limit === "1") return t("fieldErrors.notEmpty", COMMON);
    return t(`fieldErrors.${known}`, { ...COMMON, limit: limit ?? "" });
  }
  return t(`fieldErrors.${customKey(reason)}`, { ...COMMON, reason });
}

/** The field errors of a problem, each in the person's language. */
export function fieldProblems(problem: Problem, t: TFunction = current): FieldProblem[] {
  return (problem.errors ?? []).map((item) => ({ ...item, reason: fieldProblemText(item, t) }));
}
