/** The report filters a person sets on the analytics screen, kept in the address so a
 * view can be bookmarked or shared, and turned into the reports API's query. */
import dayjs from "dayjs";
import { apiMonth } from "@/lib/dates";

export type GroupBy = "owner" | "team";

export interface ReportFilters {
  from: string; // YYYY-MM
  to: string; // YYYY-MM
  groupBy: GroupBy;
}

const MONTH = /^(19|2\d)\d{2}-(0[1-9]|1[0-2])$/;

/** The last six months up to this one, grouped by rep. */
export function defaultFilters(today = dayjs()): ReportFilters {
  return {
    from: apiMonth(today.subtract(5, "month")),
    to: apiMonth(today),
    groupBy: "owner",
  };
}

export function filtersFrom(params: URLSearchParams, today = dayjs()): ReportFilters {
  const fallback = defaultFilters(today);
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const groupBy = params.get("group") === "team" ? "team" : "owner";
  const valid = MONTH.test(from) && MONTH.test(to) && from <= to;
  return valid ? { from, to, groupBy } : { ...fallback, groupBy };
}

export function reportQuery(filters: ReportFilters) {
  return { period_from: filters.from, period_to: filters.to, group_by: filters.groupBy };
}
