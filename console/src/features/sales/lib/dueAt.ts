/** A task's due time as a person types it: a day with or without a time, in local time.
 *
 * The common ways of writing one are all taken ("2026-12-08 10:00", with seconds, with "/"
 * or "." between the parts, an ISO "T", "2026年12月8日 10:00"); a day without a time is
 * due at the start of the working day (09:00), as is a day picked from the calendar.
 * Anything else is refused, never read as "no due date". */

/** The time a day without one is due: the start of a working day, local time. */
export const WORKDAY_START = { hour: 9, minute: 0 } as const;

/** The form a due time is shown in, and typed in if one does not know another. */
export const DUE_AT_PATTERN = "YYYY-MM-DD HH:mm";

export type DueAtReading = { kind: "empty" } | { kind: "invalid" } | { kind: "time"; at: Date };

const DAY = String.raw`(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)`;
const TIME = String.raw`(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})\s*秒?)?\s*分?`;
const FULL = new RegExp(String.raw`^${DAY}(?:(?:\s+|\s*T\s*)${TIME})?$`, "i");

function atLocal(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): Date | null {
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const at = new Date(year, month - 1, day, hour, minute, second);
  // A day the month does not have (2月30日) rolls over in Date: refuse it instead.
  if (at.getFullYear() !== year || at.getMonth() !== month - 1 || at.getDate() !== day) {
    return null;
  }
  return at;
}

/** Reads what was typed in the due field. */
export function readDueAt(text: string): DueAtReading {
  const trimmed = text.trim();
  if (!trimmed) return { kind: "empty" };
  const match = FULL.exec(trimmed);
  if (!match) return { kind: "invalid" };
  const number = (index: number) => Number(match[index]);
  const year = number(1);
  const month = match[2] !== undefined ? number(2) : number(4);
  const day = match[3] !== undefined ? number(3) : number(5);
  const timed = match[6] !== undefined;
  const at = atLocal(
    year,
    month,
    day,
    timed ? number(6) : WORKDAY_START.hour,
    timed ? number(7) : WORKDAY_START.minute,
    match[8] !== undefined ? number(8) : 0,
  );
  return at ? { kind: "time", at } : { kind: "invalid" };
}

const two = (value: number) => String(value).padStart(2, "0");

/** A time as the field shows it (DUE_AT_PATTERN, local time); seconds only when there are. */
export function showDueAt(at: Date): string {
  const day = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
  const time = `${two(at.getHours())}:${two(at.getMinutes())}`;
  return at.getSeconds() ? `${day} ${time}:${two(at.getSeconds())}` : `${day} ${time}`;
}

/** The field's text once a day is picked on the calendar: that day, at the time already
 * typed if one was, else at the start of the working day. */
export function pickDay(year: number, month: number, day: number, typed: string): string {
  const current = readDueAt(typed);
  const hour = current.kind === "time" ? current.at.getHours() : WORKDAY_START.hour;
  const minute = current.kind === "time" ? current.at.getMinutes() : WORKDAY_START.minute;
  const at = atLocal(year, month, day, hour, minute, 0);
  return at ? showDueAt(at) : typed;
}
