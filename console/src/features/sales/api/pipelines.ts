/** Pipelines and their stages (S-5). */
import { useQuery } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type Pipeline = Schemas["PipelineOut"];
export type Stage = Pipeline["stages"][number];

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
