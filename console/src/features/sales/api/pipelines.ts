/** Pipelines and their stages (S-5), and the reps' names for owners. */
import { useQuery } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";

export type Pipeline = Schemas["PipelineOut"];
export type Stage = Pipeline["stages"][number];
export type Rep = Schemas["RepOut"];

export function usePipelines() {
  return useQuery({
    queryKey: ["sales", "pipelines"],
    queryFn: async () => unwrap(await api.GET("/api/v1/pipelines")),
    staleTime: 5 * 60_000,
  });
}

export function usePipeline(pipelineId: string | undefined) {
  const pipelines = usePipelines();
  return pipelines.data?.find((pipeline) => pipeline.pipeline_id === pipelineId);
}

/** The reps the routing table knows, for showing an owner by name. */
export function useReps() {
  const { can } = useSession();
  return useQuery({
    queryKey: ["sales", "reps"],
    queryFn: async () => unwrap(await api.GET("/api/v1/lead-routing-reps")),
    enabled: can("leads:read"),
    staleTime: 5 * 60_000,
  });
}
