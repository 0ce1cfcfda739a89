/** Campaigns: the plan, its lifecycle, the send to a segment, recipients and metrics. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

export type Campaign = Schemas["CampaignOut"];
export type CampaignCreate = Schemas["CampaignCreate"];
export type CampaignPatch = Schemas["CampaignPatch"];
export type CampaignStatus = Schemas["CampaignStatus"];
export type Channel = Schemas["MarketingChannel"];
export type Metrics = Schemas["MetricsOut"];
export type Delivery = Schemas["MarketingDeliveryOut"];
export type DeliveryStatus = Schemas["MarketingDeliveryStatus"];

export const CHANNELS: Channel[] = ["email", "sms", "social", "event", "ads"];
export const CAMPAIGN_STATUSES: CampaignStatus[] = [
  "planned",
  "preparing",
  "running",
  "completed",
  "cancelled",
];

const KEY = ["marketing", "campaigns"] as const;

export interface CampaignFilter {
  status?: CampaignStatus;
  channel?: Channel;
  offset: number;
  limit: number;
}

export function useCampaigns(filter: CampaignFilter) {
  return useQuery({
    queryKey: [...KEY, "list", filter],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/campaigns", {
          params: {
            query: {
              status: filter.status ?? null,
              channel: filter.channel ?? null,
              offset: filter.offset,
              limit: filter.limit,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useCampaign(id: string) {
  return useQuery({
    queryKey: [...KEY, "one", id],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/campaigns/{campaign_id}", {
          params: { path: { campaign_id: id } },
        }),
      ),
  });
}

export function useCampaignMetrics(id: string, live: boolean) {
  return useQuery({
    queryKey: [...KEY, "metrics", id],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/campaigns/{campaign_id}/metrics", {
          params: { path: { campaign_id: id } },
        }),
      ),
    // While messages are going out, the figures move: look again every few seconds.
    refetchInterval: live ? 3000 : false,
  });
}

export function useDeliveries(
  id: string,
  filter: { status?: DeliveryStatus; offset: number; limit: number },
  live: boolean,
) {
  return useQuery({
    queryKey: [...KEY, "deliveries", id, filter],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/campaigns/{campaign_id}/deliveries", {
          params: {
            path: { campaign_id: id },
            query: { status: filter.status ?? null, offset: filter.offset, limit: filter.limit },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: live ? 3000 : false,
  });
}

export function useCreateCampaign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: CampaignCreate) =>
      unwrap(await api.POST("/api/v1/campaigns", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function usePatchCampaign(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, body }: { version: number; body: CampaignPatch }) =>
      unwrap(
        await api.PATCH("/api/v1/campaigns/{campaign_id}", {
          params: { path: { campaign_id: id }, header: ifMatch(version) },
          body,
        }),
      ),
    onSuccess: (campaign) => client.setQueryData([...KEY, "one", id], campaign),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useChangeStatus(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, status }: { version: number; status: CampaignStatus }) =>
      unwrap(
        await api.POST("/api/v1/campaigns/{campaign_id}/status", {
          params: { path: { campaign_id: id }, header: ifMatch(version) },
          body: { status },
        }),
      ),
    onSuccess: (campaign) => client.setQueryData([...KEY, "one", id], campaign),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useLaunchCampaign(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/api/v1/campaigns/{campaign_id}/deliveries", {
          params: { path: { campaign_id: id } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
