/** Campaigns in flight and their live results. */
import { useQueries, useQuery } from "@tanstack/react-query";

import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export function useRunningCampaigns() {
  return useQuery({
    queryKey: ["home", "campaigns"],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/campaigns", {
          params: { query: { status: "running", sort: "-created_at", limit: 6 } },
        }),
      ),
  });
}

export function useCampaignMetrics(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ["home", "campaign-metrics", id],
      queryFn: async () =>
        unwrap(
          await api.GET("/api/v1/campaigns/{campaign_id}/metrics", {
            params: { path: { campaign_id: id } },
          }),
        ),
    })),
  });
}
