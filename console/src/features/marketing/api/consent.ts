/** Consent per customer and channel, and addresses that never receive anything. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

import type { Channel } from "./campaigns";

export type SuppressionReason = Schemas["SuppressionReason"];
export type Suppression = Schemas["SuppressionOut"];
export const SUPPRESSION_REASONS: SuppressionReason[] = [
  "hard_bounce",
  "complaint",
  "manual",
  "unsubscribed",
];

const KEY = ["marketing", "consent"] as const;

async function listSubscriptions(filter: {
  channel: Channel;
  subscribed?: boolean;
  offset: number;
  limit: number;
}) {
  return unwrap(
    await api.GET("/api/v1/subscriptions", {
      params: {
        query: {
          channel: filter.channel,
          subscribed: filter.subscribed ?? null,
          offset: filter.offset,
          limit: filter.limit,
        },
      },
    }),
  );
}

export type Subscription = Awaited<ReturnType<typeof listSubscriptions>>["items"][number];

export function useSubscriptions(filter: Parameters<typeof listSubscriptions>[0]) {
  return useQuery({
    queryKey: [...KEY, "subscriptions", filter],
    queryFn: () => listSubscriptions(filter),
    placeholderData: keepPreviousData,
  });
}

export function useSetConsent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (change: {
      customerId: string;
      channel: Channel;
      subscribed: boolean;
      email?: string | null;
    }) =>
      unwrap(
        await api.PUT("/api/v1/subscriptions/{customer_id}/channels/{channel}", {
          params: { path: { customer_id: change.customerId, channel: change.channel } },
          body: { subscribed: change.subscribed, email: change.email ?? null },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: [...KEY, "subscriptions"] }),
  });
}

export function useSuppressions(filter: {
  reason?: SuppressionReason;
  offset: number;
  limit: number;
}) {
  return useQuery({
    queryKey: [...KEY, "suppressions", filter],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/suppressions", {
          params: {
            query: { reason: filter.reason ?? null, offset: filter.offset, limit: filter.limit },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useAddSuppression() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["SuppressionCreate"]) =>
      unwrap(await api.POST("/api/v1/suppressions", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: [...KEY, "suppressions"] }),
  });
}

export function useRemoveSuppression() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (email: string) =>
      unwrap(await api.DELETE("/api/v1/suppressions/{email}", { params: { path: { email } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: [...KEY, "suppressions"] }),
  });
}
