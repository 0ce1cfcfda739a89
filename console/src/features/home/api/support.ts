/** An agent's queue: their open tickets, the SLA due soonest first. */
import { useQuery } from "@tanstack/react-query";

import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

const OPEN = ["new", "assigned", "in_progress", "waiting_on_customer", "reopened"] as const;

export function useMyQueue(assigneeId: string | undefined) {
  return useQuery({
    queryKey: ["home", "queue", assigneeId],
    enabled: !!assigneeId,
    refetchInterval: 60_000,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/tickets", {
          params: {
            query: {
              assignee_id: assigneeId,
              status: [...OPEN],
              sort: "sla.resolution.due_at",
              limit: 10,
            },
          },
        }),
      ),
  });
}

export function useMyBreaches(assigneeId: string | undefined) {
  return useQuery({
    queryKey: ["home", "breaches", assigneeId],
    enabled: !!assigneeId,
    refetchInterval: 60_000,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/tickets", {
          params: {
            query: { assignee_id: assigneeId, status: [...OPEN], sla_breached: true, limit: 1 },
          },
        }),
      ).total,
  });
}
