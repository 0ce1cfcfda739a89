/** Export the report on screen as CSV or XLSX, rendered by the API. */
import { ExportDropdown } from "@/components/ExportDropdown";

import { downloadReport, type ExportableReport } from "../api/reports";
import type { ReportFilters } from "../lib/filters";

export function ExportMenu({
  report,
  filters,
}: {
  report: ExportableReport;
  filters: ReportFilters;
}) {
  return <ExportDropdown download={(format) => downloadReport(report, format, filters)} />;
}
