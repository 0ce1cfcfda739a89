/** Knowledge-base requests (support service) with their TanStack Query hooks. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

export type Article = Schemas["ArticleOut"];
export type ArticleIn = Schemas["ArticleIn"];

const keys = {
  all: ["support", "knowledge"] as const,
  list: (offset: number, limit: number, status?: string) =>
    [...keys.all, "list", offset, limit, status] as const,
  search: (q: string) => [...keys.all, "search", q] as const,
  one: (id: string) => [...keys.all, "one", id] as const,
};

export function useArticles(offset: number, limit: number, status?: Schemas["ArticleStatus"]) {
  return useQuery({
    queryKey: keys.list(offset, limit, status),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/knowledge-articles", {
          params: { query: { offset, limit, status: status ?? null, sort: "-updated_at" } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useArticleSearch(q: string) {
  return useQuery({
    queryKey: keys.search(q),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/knowledge-articles/search", { params: { query: { q, limit: 20 } } }),
      ),
    enabled: q.length > 0,
  });
}

export function useArticle(id: string | undefined) {
  return useQuery({
    queryKey: keys.one(id ?? ""),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/knowledge-articles/{article_id}", {
          params: { path: { article_id: id ?? "" } },
        }),
      ),
    enabled: Boolean(id),
  });
}

export function useSaveArticle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: { body: ArticleIn; id?: string; version?: number }) =>
      input.id
        ? unwrap(
            await api.PUT("/api/v1/knowledge-articles/{article_id}", {
              params: {
                path: { article_id: input.id },
                header: ifMatch(input.version ?? 0),
              },
              body: input.body,
            }),
          )
        : unwrap(await api.POST("/api/v1/knowledge-articles", { body: input.body })),
    onSuccess: (article) => {
      client.setQueryData(keys.one(article.id), article);
      void client.invalidateQueries({ queryKey: [...keys.all, "list"] });
      void client.invalidateQueries({ queryKey: [...keys.all, "search"] });
    },
    onError: (_error, input) => {
      if (input.id) void client.invalidateQueries({ queryKey: keys.one(input.id) });
    },
  });
}
