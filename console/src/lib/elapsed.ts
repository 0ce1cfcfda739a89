/** How long a record has been in a state, in whole days, for "stalled 3 days" and
 * "5 days overdue" (the state itself is the API's: stalled_since, overdue). */
import dayjs from "dayjs";

const DAY_MS = 86_400_000;

/** Whole days from `since` to `now`: 0 within the first day, never negative. */
export function wholeDaysSince(since: string | Date, now: number): number {
  const start = since instanceof Date ? since.getTime() : Date.parse(since);
  return Math.max(0, Math.floor((now - start) / DAY_MS));
}

/** Calendar days a due day (YYYY-MM-DD) lies behind `today` in the reader's time zone:
 * due yesterday is 1. At least 1, as it is only asked of what the API calls overdue
 * (the service counts days in UTC, which may still be the reader's yesterday). */
export function daysPastDue(dueDate: string, today: Date): number {
  return Math.max(1, dayjs(today).startOf("day").diff(dayjs(dueDate).startOf("day"), "day"));
}
