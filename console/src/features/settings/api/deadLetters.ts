/** Parked messages of every service (gateway /api/v1/dead-letters, events:admin). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type DeadLetter = Schemas["DeadLetterOut"];

const KEY = ["settings", "dead-letters"] as const;

export function useDeadLetters(service: string | undefined) {
  return useQuery({
    queryKey: [...KEY, service ?? "all"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/dead-letters", { params: { query: { service, limit: 100 } } })),
  });
}

type Target = Pick<DeadLetter, "service"> & { message_id: string };

export function useReplayDeadLetter() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ service, message_id }: Target) =>
      unwrap(
        await api.POST("/api/v1/dead-letters/{service}/{message_id}/replay", {
          params: { path: { service, message_id } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDiscardDeadLetter() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ service, message_id }: Target) =>
      unwrap(
        await api.DELETE("/api/v1/dead-letters/{service}/{message_id}", {
          params: { path: { service, message_id } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
