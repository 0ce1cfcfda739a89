/** Customers as the support screens need them: a search for the new-ticket form. */
import { useQuery } from "@tanstack/react-query";

import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export function useCustomerSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ["support", "customer-search", q],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/customers", {
          params: { query: { q: q || undefined, limit: 20, sort: "name" } },
        }),
      ),
    enabled,
    staleTime: 30_000,
  });
}
