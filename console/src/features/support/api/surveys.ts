/** Surveys, their tracking and the service KPIs (support service), with query hooks. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type Survey = Schemas["SurveyOut"];
export type KpiReport = Schemas["KpiReport"];

export function useSurveys(offset: number, limit: number, status?: Schemas["SurveyStatus"]) {
  return useQuery({
    queryKey: ["support", "surveys", offset, limit, status],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/surveys", {
          params: { query: { offset, limit, status: status ?? null, sort: "-created_at" } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useSurveyTracking() {
  return useQuery({
    queryKey: ["support", "surveys", "tracking"],
    queryFn: async () => unwrap(await api.GET("/api/v1/surveys/tracking")),
  });
}

export function useKpis(days: number, enabled: boolean) {
  return useQuery({
    queryKey: ["support", "kpis", days],
    queryFn: async () => {
      const to = new Date();
      const from = new Date(to.getTime() - days * 86_400_000);
      return unwrap(
        await api.GET("/api/v1/support-kpis", {
          params: { query: { from: from.toISOString(), to: to.toISOString() } },
        }),
      );
    },
    enabled,
  });
}
