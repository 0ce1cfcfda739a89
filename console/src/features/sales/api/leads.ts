/** Leads (S-1 to S-4): the inbox, one lead, capture by hand, edits, qualification,
 * disqualification and conversion. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

export type Lead = Schemas["LeadOut"];
export type LeadCreate = Schemas["LeadCreate"];
export type LeadPatch = Schemas["LeadPatch"];
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
  one: (id: string) => ["sales", "leads", "one", id] as const,
};

/** The statuses a lead is still worked in (and so may be edited, disqualified, converted). */
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ["new", "contacted", "qualified"];

export function useLeads(filters: LeadFilters) {
  return useQuery({
    queryKey: leadKeys.list(filters),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/leads", { params: { query: { ...filters } } })),
    placeholderData: keepPreviousData,
  });
}

export function useLead(id: string) {
  return useQuery({
    queryKey: leadKeys.one(id),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/leads/{lead_id}", { params: { path: { lead_id: id } } })),
  });
}

/** Changes a lead's details, sending the version it was read at: a 412 means someone
 * changed it meanwhile, and the caller shows the newer version. */
export async function updateLead(lead: Lead, changes: LeadPatch): Promise<Lead> {
  return unwrap(
    await api.PATCH("/api/v1/leads/{lead_id}", {
      params: { path: { lead_id: lead.lead_id }, header: ifMatch(lead.version) },
      body: changes,
    }),
  );
}

/** Rules a lead out (S-3), with the reason if one is given; as an edit, under If-Match. */
export async function disqualifyLead(lead: Lead, reason: string | null): Promise<Lead> {
  return updateLead(lead, { status: "disqualified", disqualified_reason: reason });
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
