/** Outbound webhooks: subscriptions and the log of their deliveries (webhooks:manage).
 *
 * The merged OpenAPI names the list pages' items after marketing's schemas of the same
 * names (a collision in the merge), so the items are read as the gateway's own
 * SubscriptionOut and DeliveryOut, which the single-record routes declare. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

export type Subscription = Schemas["SubscriptionOut"];
export type SubscriptionCreate = Schemas["SubscriptionCreate"];
export type Delivery = Schemas["DeliveryOut"];
export type DeliveryStatus = Schemas["DeliveryStatus"];

interface PageOf<T> {
  items: T[];
  total: number;
}

const KEY = ["settings", "webhooks"];

export function useSubscriptions() {
  return useQuery({
    queryKey: [...KEY, "subscriptions"],
    queryFn: async () => {
      const page = unwrap(
        await api.GET("/api/v1/webhook-subscriptions", { params: { query: { limit: 200 } } }),
      );
      return page as unknown as PageOf<Subscription>;
    },
  });
}

export function useDeliveries(
  subscriptionId: string | null,
  status: DeliveryStatus | undefined,
  offset: number,
) {
  return useQuery({
    queryKey: [...KEY, "deliveries", subscriptionId, status, offset],
    enabled: subscriptionId !== null,
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
    queryFn: async () => {
      const page = unwrap(
        await api.GET("/api/v1/webhook-deliveries", {
          params: {
            query: { subscription_id: subscriptionId ?? undefined, status, offset, limit: 20 },
          },
        }),
      );
      return page as unknown as PageOf<Delivery>;
    },
  });
}

export function useCreateSubscription() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: SubscriptionCreate) =>
      unwrap(await api.POST("/api/v1/webhook-subscriptions", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useSetSubscriptionActive() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ record, active }: { record: Subscription; active: boolean }) =>
      unwrap(
        await api.PATCH("/api/v1/webhook-subscriptions/{subscription_id}", {
          params: { path: { subscription_id: record.id }, header: ifMatch(record.version) },
          body: { active },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteSubscription() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (record: Subscription) =>
      unwrap(
        await api.DELETE("/api/v1/webhook-subscriptions/{subscription_id}", {
          params: { path: { subscription_id: record.id } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useRetryDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (delivery: Delivery) =>
      unwrap(
        await api.POST("/api/v1/webhook-deliveries/{delivery_id}/retry", {
          params: { path: { delivery_id: delivery.id } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: [...KEY, "deliveries"] }),
  });
}
