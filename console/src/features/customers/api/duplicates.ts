/** Likely duplicates and merging one customer into another (C-9). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type DuplicateGroup = Schemas["DuplicateGroupOut"];

export function useDuplicates() {
  return useQuery({
    queryKey: ["customers", "duplicates"],
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/customer-duplicates", { params: { query: { limit: 50 } }, signal }),
      ),
  });
}

export function useMerge() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["MergeRequest"]) =>
      unwrap(await api.POST("/api/v1/customer-merges", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["customers"] }),
  });
}
