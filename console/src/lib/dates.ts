/** Dates as the API takes them: a day is YYYY-MM-DD, a report month YYYY-MM. */
import type { Dayjs } from "dayjs";

export function apiDate(value: Dayjs): string;
export function apiDate(value: Dayjs | null | undefined): string | null;
export function apiDate(value: Dayjs | null | undefined): string | null {
  return value ? value.format("YYYY-MM-DD") : null;
}

export function apiMonth(value: Dayjs): string {
  return value.format("YYYY-MM");
}
