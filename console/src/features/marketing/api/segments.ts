/** Segments: audiences by rules over the customer attributes marketing knows. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

export type Segment = Schemas["SegmentOut"];
export type SegmentCreate = Schemas["SegmentCreate"];
export type SegmentRules = NonNullable<SegmentCreate["rules"]>;
export type SegmentPreview = Schemas["SegmentPreview"];

const KEY = ["marketing", "segments"] as const;

export function useSegments(filter: { offset: number; limit: number }) {
  return useQuery({
    queryKey: [...KEY, "list", filter],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/segments", {
          params: { query: { offset: filter.offset, limit: filter.limit } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useSegment(id: string | undefined) {
  return useQuery({
    queryKey: [...KEY, "one", id],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/segments/{segment_id}", {
          params: { path: { segment_id: id ?? "" } },
        }),
      ),
    enabled: !!id,
  });
}

/** How many customers a definition selects now, before it is saved. */
export function useRulesPreview(body: SegmentCreate | null) {
  return useQuery({
    queryKey: [...KEY, "preview", body],
    queryFn: async () => {
      if (!body) throw new Error("no segment to preview");
      return unwrap(await api.POST("/api/v1/segments/preview", { body }));
    },
    enabled: body !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

export function useCreateSegment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: SegmentCreate) => unwrap(await api.POST("/api/v1/segments", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function usePatchSegment(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, body }: { version: number; body: Schemas["SegmentPatch"] }) =>
      unwrap(
        await api.PATCH("/api/v1/segments/{segment_id}", {
          params: { path: { segment_id: id }, header: ifMatch(version) },
          body,
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteSegment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(
        await api.DELETE("/api/v1/segments/{segment_id}", {
          params: { path: { segment_id: id } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

/** A saved segment evaluated now. */
export function useStoredPreview(id: string) {
  return useQuery({
    queryKey: [...KEY, "stored-preview", id],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/segments/{segment_id}/preview", {
          params: { path: { segment_id: id } },
        }),
      ),
  });
}
