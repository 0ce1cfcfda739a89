/** Opportunities: the board's list, one opportunity, its prediction, edits and moves. */
import { useQuery } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

export type Opportunity = Schemas["OpportunityOut"];
export type OpportunityPatch = Schemas["OpportunityPatch"];
export type Prediction = Schemas["OpportunityPrediction"];

export const opportunityKeys = {
  all: ["sales", "opportunities"] as const,
  board: (pipelineId: string) => ["sales", "opportunities", "board", pipelineId] as const,
  /** One view of a pipeline's board: every deal, or only those the service marked stalled. */
  boardView: (pipelineId: string, stalled: boolean) =>
    ["sales", "opportunities", "board", pipelineId, stalled ? "stalled" : "all"] as const,
  one: (id: string) => ["sales", "opportunities", "one", id] as const,
  prediction: (id: string) => ["sales", "opportunities", "prediction", id] as const,
};

export const BOARD_LIMIT = 200;

export function useBoardOpportunities(pipelineId: string | undefined, stalled: boolean) {
  return useQuery({
    queryKey: opportunityKeys.boardView(pipelineId ?? "", stalled),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/opportunities", {
          params: {
            query: {
              pipeline_id: pipelineId,
              stalled: stalled || undefined,
              sort: "-updated_at",
              limit: BOARD_LIMIT,
            },
          },
        }),
      ),
    enabled: Boolean(pipelineId),
  });
}

/** The open deals a new quote can be drawn up for, latest first. */
export function useOpenOpportunities(enabled: boolean) {
  return useQuery({
    queryKey: [...opportunityKeys.all, "open"] as const,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/opportunities", {
          params: { query: { status: "open", sort: "-updated_at", limit: BOARD_LIMIT } },
        }),
      ),
    enabled,
  });
}

export async function fetchOpportunity(id: string): Promise<Opportunity> {
  return unwrap(
    await api.GET("/api/v1/opportunities/{opportunity_id}", {
      params: { path: { opportunity_id: id } },
    }),
  );
}

export function useOpportunity(id: string) {
  return useQuery({ queryKey: opportunityKeys.one(id), queryFn: () => fetchOpportunity(id) });
}

export function usePrediction(id: string, enabled: boolean) {
  return useQuery({
    queryKey: opportunityKeys.prediction(id),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/win-model/predictions/{opportunity_id}", {
          params: { path: { opportunity_id: id } },
        }),
      ),
    enabled,
  });
}

export async function moveStage(
  opportunity: Pick<Opportunity, "opportunity_id" | "version">,
  stage: string,
  reason?: string,
): Promise<Opportunity> {
  return unwrap(
    await api.PUT("/api/v1/opportunities/{opportunity_id}/stage", {
      params: {
        path: { opportunity_id: opportunity.opportunity_id },
        header: ifMatch(opportunity.version),
      },
      body: { stage, reason: reason || null },
    }),
  );
}

export async function updateOpportunity(
  opportunity: Pick<Opportunity, "opportunity_id" | "version">,
  changes: OpportunityPatch,
): Promise<Opportunity> {
  return unwrap(
    await api.PATCH("/api/v1/opportunities/{opportunity_id}", {
      params: {
        path: { opportunity_id: opportunity.opportunity_id },
        header: ifMatch(opportunity.version),
      },
      body: changes,
    }),
  );
}
