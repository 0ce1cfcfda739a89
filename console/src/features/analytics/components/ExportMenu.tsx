/** Export the report on screen as CSV or XLSX, rendered by the API. */
import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Dropdown } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { downloadReport, type ExportableReport, type ExportFormat } from "../api/reports";
import type { ReportFilters } from "../lib/filters";

export function ExportMenu({
  report,
  filters,
}: {
  report: ExportableReport;
  filters: ReportFilters;
}) {
  const { t } = useTranslation(["analytics", "common"]);
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (format: ExportFormat) => {
    setBusy(true);
    try {
      await downloadReport(report, format, filters);
    } catch (error) {
      message.error(error instanceof Error ? error.message : t("errors.server", { ns: "common" }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown
      trigger={["click"]}
      menu={{
        items: [
          { key: "csv", label: t("export.csv") },
          { key: "xlsx", label: t("export.xlsx") },
        ],
        onClick: ({ key }) => void run(key as ExportFormat),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy}>
        {t("actions.export", { ns: "common" })}
      </Button>
    </Dropdown>
  );
}
