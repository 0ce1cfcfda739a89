/** What the customer notices screen works out itself: the reminder steps as the server
 * takes them, where a clicked placeholder goes, and a preview of a template filled in
 * with sample values.
 *
 * Templates are read the way the notifications service reads them (Python's
 * string.Template): `${name}` or `$name` quotes a value, `$$` is a dollar sign. The
 * server alone decides which names a kind may quote; the preview leaves any other
 * name as written. The preview is text, shown as text: nothing in it becomes markup. */
import type { Schemas } from "@/lib/api/client";

export type NoticeKind = Schemas["NoticeKind"];
export type NoticeLanguage = Schemas["NotificationsTemplateOut"]["language"];

export const NOTICE_KINDS: NoticeKind[] = [
  "payment_reminder",
  "overdue_notice",
  "order_status",
  "ticket_acknowledgement",
];
export const NOTICE_LANGUAGES: NoticeLanguage[] = ["zh-CN", "en"];

// The service's limits (notifications.domain.customer_notices).
export const MAX_STEPS = 10;
export const MAX_STEP_DAYS = 365;

/** Why a list of steps cannot be saved (a settings.customerNotices.* key), or null. */
export type StepsProblem = "wholeDays" | "duplicate" | "tooMany";

export function stepsProblem(days: readonly (number | null | undefined)[]): StepsProblem | null {
  if (days.length > MAX_STEPS) return "tooMany";
  if (days.some((day) => !isStepDay(day))) return "wholeDays";
  if (new Set(days).size !== days.length) return "duplicate";
  return null;
}

export function isStepDay(day: number | null | undefined): day is number {
  return typeof day === "number" && Number.isInteger(day) && day >= 1 && day <= MAX_STEP_DAYS;
}

/** The steps as the server keeps them: sorted, each once. */
export function sortedSteps(days: readonly number[]): number[] {
  return [...new Set(days)].sort((a, b) => a - b);
}

/** `${name}`, the form a click inserts. */
export const placeholder = (name: string) => `\${${name}}`;

/** `text` with `insert` put in place of the selection [start, end), and where the
 * caret goes after it. */
export function insertAt(
  text: string,
  insert: string,
  start: number | null | undefined,
  end: number | null | undefined,
): { text: string; caret: number } {
  const from = clamp(start ?? text.length, text.length);
  const to = Math.max(from, clamp(end ?? from, text.length));
  return { text: text.slice(0, from) + insert + text.slice(to), caret: from + insert.length };
}

function clamp(at: number, length: number): number {
  return Math.min(Math.max(at, 0), length);
}

// string.Template's pattern: $$, $name, ${name}, or a $ that starts none.
const PLACEHOLDER = /\$(?:(\$)|([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\}|)/gi;

/** The names `text` quotes, in order, each once. */
export function placeholdersIn(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[2] ?? match[3];
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** `text` with the values filled in (`$$` becomes `$`); a name without a value, or a
 * `$` that starts no placeholder, stays as written. */
export function fillIn(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, dollar?: string, bare?: string, braced?: string) => {
    if (dollar) return "$";
    const name = bare ?? braced;
    return name !== undefined && Object.hasOwn(values, name) ? (values[name] ?? whole) : whole;
  });
}

/** The subject and body as a customer would read them, with sample values; a value
 * never breaks the subject's one line (as the service does it). */
export function preview(
  template: { subject: string; body: string },
  values: Readonly<Record<string, string>>,
): { subject: string; body: string } {
  const oneLine = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, value.split(/\s+/).join(" ").trim()]),
  );
  return { subject: fillIn(template.subject, oneLine), body: fillIn(template.body, values) };
}

const SAMPLES: Record<NoticeLanguage, Record<string, string>> = {
  "zh-CN": {
    customer_name: "张三",
    invoice_number: "INV-2025-0042",
    order_number: "SO-2025-0107",
    amount: "12,800.00",
    currency: "CNY",
    due_date: "2025-07-15",
    days_until_due: "7",
    days_overdue: "7",
    status: "已发货",
    ticket_id: "TK-10086",
    subject: "无法登录客户门户",
    first_response_due: "2025-07-08 17:00 (UTC+08:00)",
  },
  en: {
    customer_name: "Jane Doe",
    invoice_number: "INV-2025-0042",
    order_number: "SO-2025-0107",
    amount: "12,800.00",
    currency: "CNY",
    due_date: "2025-07-15",
    days_until_due: "7",
    days_overdue: "7",
    status: "shipped",
    ticket_id: "TK-10086",
    subject: "Cannot sign in to the portal",
    first_response_due: "2025-07-08 17:00 (UTC+08:00)",
  },
};

/** Sample values for the variables a kind offers, in the customer's language. */
export function sampleValues(
  variables: readonly string[],
  language: NoticeLanguage,
): Record<string, string> {
  const samples = SAMPLES[language];
  return Object.fromEntries(variables.map((name) => [name, samples[name] ?? name]));
}
