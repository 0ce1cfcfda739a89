/** The forecast's periods as a person reads them. The API files deals without an
 * expected close date under the period key "unscheduled" (sales domain/forecast.py):
 * a key, not words, so the screen names it in the reader's language and puts it last. */
export const UNSCHEDULED = "unscheduled";

/** The distinct periods of the rows, in time order, the deals without a date last. */
export function forecastPeriods(rows: readonly { period: string }[]): string[] {
  const periods = [...new Set(rows.map((row) => row.period))];
  const dated = periods.filter((period) => period !== UNSCHEDULED).sort();
  return periods.includes(UNSCHEDULED) ? [...dated, UNSCHEDULED] : dated;
}

/** A period as shown: the period itself ("2026-Q3", "2026-07"), or `noDate` for the
 * deals without an expected close date. */
export function periodLabel(period: string, noDate: string): string {
  return period === UNSCHEDULED ? noDate : period;
}
