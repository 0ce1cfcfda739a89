/** Bulk import from .csv or .xlsx (C-8): start one, then follow it until it ends. */
import { useMutation, useQuery } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type ImportJob = Schemas["ImportOut"];

export const FINISHED = ["completed", "failed"];

export function useStartImport() {
  return useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append("file", file, file.name);
      return unwrap(
        await api.POST("/api/v1/customer-imports", {
          // openapi-fetch sends FormData as multipart with its boundary.
          body: form as unknown as { file: string },
        }),
      );
    },
  });
}

/** The import's progress, asked again every second until it has finished. */
export function useImportJob(id: string | undefined) {
  return useQuery({
    queryKey: ["customers", "imports", id],
    enabled: Boolean(id),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/customer-imports/{import_id}", {
          params: { path: { import_id: id ?? "" } },
          signal,
        }),
      ),
    refetchInterval: (query) =>
      query.state.data && FINISHED.includes(query.state.data.state) ? false : 1000,
  });
}
