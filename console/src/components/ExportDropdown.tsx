/** "Export" with a choice of CSV or XLSX; the download itself is the caller's (a list,
 * a report). A failure is told in the person's language. */
import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Dropdown } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { errorText } from "@/lib/api/problem";

export type ExportFormat = "csv" | "xlsx";

export function ExportDropdown({
  download,
}: {
  download: (format: ExportFormat) => Promise<void>;
}) {
  const { t } = useTranslation("common");
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (format: ExportFormat) => {
    setBusy(true);
    try {
      await download(format);
    } catch (error) {
      void message.error(errorText(t, error));
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
        {t("actions.export")}
      </Button>
    </Dropdown>
  );
}
