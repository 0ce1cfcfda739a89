/** The sales figures a rep's and a manager's home shows. */
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";

import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

const OPEN_TASK_STATUSES = ["open", "in_progress"] as const;

/** My open tasks due by the end of today (overdue ones included), soonest first. */
export function useTasksDueToday(assigneeId: string | undefined) {
  return useQuery({
    queryKey: ["home", "tasks", assigneeId],
    enabled: !!assigneeId,
    queryFn: async () => {
      const dueBefore = dayjs().endOf("day").toISOString();
      const pages = await Promise.all(
        OPEN_TASK_STATUSES.map(async (status) =>
          unwrap(
            await api.GET("/api/v1/tasks", {
              params: {
                query: {
                  assignee_id: assigneeId,
                  status,
                  due_before: dueBefore,
                  sort: "due_at",
                  limit: 50,
                },
              },
            }),
          ),
        ),
      );
      return pages
        .flatMap((page) => page.items)
        .sort((a, b) => (a.due_at ?? "").localeCompare(b.due_at ?? ""));
    },
  });
}

/** How many of my tasks the service calls overdue (open or in progress, past due). */
export function useOverdueTaskCount(assigneeId: string | undefined) {
  return useQuery({
    queryKey: ["home", "tasks", "overdue", assigneeId],
    enabled: !!assigneeId,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/tasks", {
          params: { query: { assignee_id: assigneeId, overdue: true, limit: 1 } },
        }),
      ).total,
  });
}

export function useNewLeads(ownerId: string | undefined) {
  return useQuery({
    queryKey: ["home", "leads", ownerId],
    enabled: !!ownerId,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/leads", {
          params: { query: { status: "new", owner_id: ownerId, sort: "-created_at", limit: 5 } },
        }),
      ),
  });
}

/** The open pipeline per quarter of expected close (sales' weighted forecast). */
export function usePipelineForecast(ownerId: string | undefined) {
  return useQuery({
    queryKey: ["home", "forecast", ownerId],
    enabled: !!ownerId,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/forecasts", {
          params: { query: { owner_id: ownerId, granularity: "quarter" } },
        }),
      ),
  });
}

export function usePipelines() {
  return useQuery({
    queryKey: ["home", "pipelines"],
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET("/api/v1/pipelines")),
  });
}

/** The team's open deals (the service limits a manager to their team anyway). */
export function useOpenDeals(team: string | null | undefined, sort: string) {
  return useQuery({
    queryKey: ["home", "deals", team, sort],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/opportunities", {
          params: { query: { status: "open", team: team ?? undefined, sort, limit: 200 } },
        }),
      ),
  });
}

/** The team's deals the sales service marked stalled, longest stalled first. */
export function useStalledDeals(team: string | null | undefined, limit: number) {
  return useQuery({
    queryKey: ["home", "stalled", team, limit],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/opportunities", {
          params: {
            query: {
              status: "open",
              stalled: true,
              team: team ?? undefined,
              sort: "stalled_since",
              limit,
            },
          },
        }),
      ),
  });
}
