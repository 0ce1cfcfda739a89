/** The relationship network (C-7): a customer's neighbourhood, relating two customers. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type Neighbourhood = Schemas["NeighbourhoodOut"];
export type NetworkNode = Schemas["NodeOut"];
export type RelationCreate = Schemas["RelationCreate"];

export function useNeighbourhood(customerId: string, radius: number) {
  return useQuery({
    queryKey: ["customers", "network", customerId, radius],
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/customer-network/customers/{customer_id}", {
          params: { path: { customer_id: customerId }, query: { radius } },
          signal,
        }),
      ),
  });
}

export function useRelate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: RelationCreate) =>
      unwrap(await api.POST("/api/v1/customer-relations", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["customers", "network"] }),
  });
}

/** Customers whose name, company, e-mail or member id holds the text, for pickers. */
export async function searchCustomers(text: string) {
  const page = unwrap(
    await api.GET("/api/v1/customers", { params: { query: { q: text, limit: 10 } } }),
  );
  return page.items;
}
