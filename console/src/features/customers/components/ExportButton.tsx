/** Export the filtered list as CSV or XLSX (C-8), for roles with customers:export. */
import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Dropdown } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api } from "@/lib/api/client";
import { toApiError } from "@/lib/api/problem";

import type { ListState } from "../listQuery";
import { toApiQuery } from "../listQuery";
import { problemText } from "./problemText";

function save(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function filenameOf(response: Response, fallback: string): string {
  const header = response.headers.get("Content-Disposition") ?? "";
  return header.match(/filename="?([^";]+)"?/)?.[1] ?? fallback;
}

export function ExportButton({ state }: { state: ListState }) {
  const { t } = useTranslation(["customers", "common"]);
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  const download = async (format: "csv" | "xlsx") => {
    setBusy(true);
    try {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const { sort, offset, limit, ...filters } = toApiQuery(state);
      const result = await api.GET("/api/v1/customer-exports", {
        params: { query: { ...filters, format } },
        parseAs: "blob",
      });
      if (!result.response.ok || !result.data) throw toApiError(result.error, result.response);
      save(result.data as Blob, filenameOf(result.response, `customers.${format}`));
    } catch (error) {
      void message.error(problemText(t, error));
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
        onClick: ({ key }) => void download(key as "csv" | "xlsx"),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy}>
        {t("actions.export", { ns: "common" })}
      </Button>
    </Dropdown>
  );
}
