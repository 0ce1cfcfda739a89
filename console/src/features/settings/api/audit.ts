/** The gateway's audit log of writes (audit:read). */
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export interface AuditFilters {
  actor?: string;
  service?: string;
  method?: string;
  outcome?: string;
  path_prefix?: string;
  since?: string;
  until?: string;
  offset: number;
  limit: number;
}

export function useAuditLog(filters: AuditFilters) {
  return useQuery({
    queryKey: ["settings", "audit", filters],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/audit-log", { params: { query: { ...filters, sort: "-at" } } }),
      ),
  });
}
