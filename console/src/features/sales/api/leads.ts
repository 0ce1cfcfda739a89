/** Leads (S-1 to S-4): the inbox, capture by hand, qualification and conversion. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

export type Lead = Schemas["LeadOut"];
export type LeadCreate = Schemas["LeadCreate"];
export type LeadStatus = Schemas["LeadStatus"];
export type ConversionIn = Schemas["ConversionIn"];

export const LEAD_STATUSES: LeadStatus[] = [
  "new",
  "contacted",
  "qualified",
  "disqualified",
  "converted",
];

export interface LeadFilters {
  status?: LeadStatus;
  min_score?: number;
  sort: string;
  offset: number;
  limit: number;
}

export const leadKeys = {
  all: ["sales", "leads"] as const,
  list: (filters: LeadFilters) => ["sales", "leads", "list", filters] as const,
};

export function useLeads(filters: LeadFilters) {
  return useQuery({
    queryKey: leadKeys.list(filters),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/leads", { params: { query: { ...filters } } })),
    placeholderData: keepPreviousData,
  });
}

export async function createLead(body: LeadCreate): Promise<Lead> {
  return unwrap(await api.POST("/api/v1/leads", { body }));
}

export async function qualifyLead(lead: Lead): Promise<Lead> {
  if (lead.status === "qualified") return lead;
  return unwrap(
    await api.PATCH("/api/v1/leads/{lead_id}", {
      params: { path: { lead_id: lead.lead_id }, header: ifMatch(lead.version) },
      body: { status: "qualified" },
    }),
  );
}

export async function convertLead(lead: Lead, body: ConversionIn) {
  return unwrap(
    await api.POST("/api/v1/leads/{lead_id}/conversion", {
      params: { path: { lead_id: lead.lead_id } },
      body,
    }),
  );
}
