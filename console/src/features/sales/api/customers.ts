/** A customer's name for a sales document that carries only the customer's id. */
import { useQuery } from "@tanstack/react-query";

import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";

export function useCustomerName(customerId: string | undefined): string | undefined {
  const { can } = useSession();
  const query = useQuery({
    queryKey: ["sales", "customer-name", customerId],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/customers/{customer_id}", {
          params: { path: { customer_id: customerId ?? "" } },
        }),
      ).name,
    enabled: Boolean(customerId) && can("customers:read"),
    staleTime: 5 * 60_000,
    retry: false,
  });
  return query.data;
}
