/** The unified timeline across services, and touches logged here (C-5). */
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type TimelineEntry = Schemas["TimelineEntry"];
export type InteractionCreate = Schemas["InteractionCreate"];
export type Channel = Schemas["Channel"];
export type InteractionStatus = Schemas["InteractionStatus"];

export const TIMELINE_PAGE = 20;
const timelineKey = (customerId: string) => ["customers", "timeline", customerId] as const;

export function useTimeline(customerId: string) {
  return useInfiniteQuery({
    queryKey: timelineKey(customerId),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET("/api/v1/customers/{customer_id}/timeline", {
          params: {
            path: { customer_id: customerId },
            query: { limit: TIMELINE_PAGE, ...(pageParam ? { before: pageParam } : {}) },
          },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
}

export function useRecordInteraction(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: InteractionCreate) =>
      unwrap(
        await api.POST("/api/v1/customers/{customer_id}/interactions", {
          params: { path: { customer_id: customerId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: timelineKey(customerId) }),
  });
}

export function useChangeInteractionStatus(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, status }: { id: string; status: InteractionStatus }) =>
      unwrap(
        await api.PATCH("/api/v1/customers/{customer_id}/interactions/{interaction_id}", {
          params: { path: { customer_id: customerId, interaction_id: id } },
          body: { status },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: timelineKey(customerId) }),
  });
}
