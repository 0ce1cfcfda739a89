/** Analytics' figures on home: the main dashboard, a revenue trend, team performance. */
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";

import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";
import { apiMonth } from "@/lib/dates";

export function useMainDashboard() {
  return useQuery({
    queryKey: ["home", "dashboard"],
    queryFn: async () => unwrap(await api.GET("/api/v1/dashboards/main")),
  });
}

export function useRevenueTrend(months: number) {
  return useQuery({
    queryKey: ["home", "revenue-trend", months],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/reports/revenue-trend", {
          params: {
            query: {
              granularity: "month",
              period_from: apiMonth(dayjs().subtract(months - 1, "month")),
              period_to: apiMonth(dayjs()),
            },
          },
        }),
      ),
  });
}

/** This quarter's figures per rep of the team. */
export function useTeamPerformance(team: string | null | undefined) {
  return useQuery({
    queryKey: ["home", "performance", team],
    queryFn: async () => {
      const now = dayjs();
      const quarterStart = now.month(Math.floor(now.month() / 3) * 3);
      return unwrap(
        await api.GET("/api/v1/reports/performance", {
          params: {
            query: {
              team: team ?? undefined,
              group_by: "owner",
              period_from: apiMonth(quarterStart),
              period_to: apiMonth(now),
            },
          },
        }),
      );
    },
  });
}
