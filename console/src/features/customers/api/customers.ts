/** Customer profiles: the list, one customer, creating and changing one (C-1). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

import { type ListState, toApiQuery } from "../listQuery";

export type Customer = Schemas["CustomerOut"];
export type CustomerCreate = Schemas["CustomerCreate"];
export type CustomerPatch = Schemas["CustomerPatch"];
export type MailLanguage = Schemas["MailLanguage"];

export const customerKeys = {
  all: ["customers"] as const,
  list: (query: ReturnType<typeof toApiQuery>) => ["customers", "list", query] as const,
  one: (id: string) => ["customers", "one", id] as const,
};

export function useCustomerList(state: ListState) {
  const query = toApiQuery(state);
  return useQuery({
    queryKey: customerKeys.list(query),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET("/api/v1/customers", { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useCustomer(id: string) {
  return useQuery({
    queryKey: customerKeys.one(id),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/customers/{customer_id}", {
          params: { path: { customer_id: id } },
          signal,
        }),
      ),
  });
}

export function useCreateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CustomerCreate) =>
      unwrap(await api.POST("/api/v1/customers", { body })),
    onSuccess: (customer) => {
      queryClient.setQueryData(customerKeys.one(customer.id), customer);
      void queryClient.invalidateQueries({ queryKey: ["customers", "list"] });
    },
  });
}

/** Changes a profile read at `version`; a 412 means someone changed it meanwhile. */
export function usePatchCustomer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, changes }: { version: number; changes: CustomerPatch }) =>
      unwrap(
        await api.PATCH("/api/v1/customers/{customer_id}", {
          params: { path: { customer_id: id }, header: ifMatch(version) },
          body: changes,
        }),
      ),
    onSuccess: (customer) => {
      queryClient.setQueryData(customerKeys.one(id), customer);
      void queryClient.invalidateQueries({ queryKey: ["customers", "list"] });
    },
  });
}
