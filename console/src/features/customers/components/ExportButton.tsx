/** Export the filtered list as CSV or XLSX (C-8), for roles with customers:export. */
import { ExportDropdown, type ExportFormat } from "@/components/ExportDropdown";
import { api } from "@/lib/api/client";
import { toApiError } from "@/lib/api/problem";
import { fileNameOf, saveBlob } from "@/lib/download";

import type { ListState } from "../listQuery";
import { toApiQuery } from "../listQuery";

async function download(state: ListState, format: ExportFormat) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { sort, offset, limit, ...filters } = toApiQuery(state);
  const result = await api.GET("/api/v1/customer-exports", {
    params: { query: { ...filters, format } },
    parseAs: "blob",
  });
  if (!result.response.ok || !result.data) throw toApiError(result.error, result.response);
  saveBlob(result.data as Blob, fileNameOf(result.response, `customers.${format}`));
}

export function ExportButton({ state }: { state: ListState }) {
  return <ExportDropdown download={(format) => download(state, format)} />;
}
