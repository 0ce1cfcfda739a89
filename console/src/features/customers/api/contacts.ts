/** Contacts: the people at a customer company, one of them primary (C-4). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type Contact = Schemas["ContactOut"];
export type ContactCreate = Schemas["ContactCreate"];

const contactsKey = (customerId: string) => ["customers", "contacts", customerId] as const;

export function useContacts(customerId: string) {
  return useQuery({
    queryKey: contactsKey(customerId),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/customers/{customer_id}/contacts", {
          params: { path: { customer_id: customerId } },
          signal,
        }),
      ),
  });
}

export function useAddContact(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ContactCreate) =>
      unwrap(
        await api.POST("/api/v1/customers/{customer_id}/contacts", {
          params: { path: { customer_id: customerId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: contactsKey(customerId) }),
  });
}

export function useRemoveContact(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (contactId: string) =>
      unwrap(
        await api.DELETE("/api/v1/customers/{customer_id}/contacts/{contact_id}", {
          params: { path: { customer_id: customerId, contact_id: contactId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: contactsKey(customerId) }),
  });
}
