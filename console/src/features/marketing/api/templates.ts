/** E-mail templates with placeholders, and their preview rendered by the API. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

export type Template = Schemas["TemplateOut"];
export type TemplateCreate = Schemas["TemplateCreate"];
export type RenderedTemplate = Schemas["PreviewOut"];

const KEY = ["marketing", "templates"] as const;

export function useTemplates(filter: { offset: number; limit: number }) {
  return useQuery({
    queryKey: [...KEY, "list", filter],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/email-templates", {
          params: { query: { offset: filter.offset, limit: filter.limit } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useTemplate(id: string | undefined) {
  return useQuery({
    queryKey: [...KEY, "one", id],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/email-templates/{template_id}", {
          params: { path: { template_id: id ?? "" } },
        }),
      ),
    enabled: !!id,
  });
}

export function useTemplateVariables() {
  return useQuery({
    queryKey: [...KEY, "variables"],
    queryFn: async () => unwrap(await api.GET("/api/v1/email-templates/variables")),
    staleTime: Infinity,
  });
}

/** The saved template rendered for a sample customer: `sample` gives the placeholder
 * values (in the reader's language), the API fills in any other. */
export function useTemplatePreview(
  id: string | undefined,
  version: number | undefined,
  sample: Record<string, string>,
) {
  return useQuery({
    queryKey: [...KEY, "preview", id, version, sample],
    queryFn: async () =>
      unwrap(
        await api.POST("/api/v1/email-templates/{template_id}/preview", {
          params: { path: { template_id: id ?? "" } },
          body: { values: sample },
        }),
      ),
    enabled: !!id,
  });
}

export function useCreateTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: TemplateCreate) =>
      unwrap(await api.POST("/api/v1/email-templates", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function usePatchTemplate(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, body }: { version: number; body: Schemas["TemplatePatch"] }) =>
      unwrap(
        await api.PATCH("/api/v1/email-templates/{template_id}", {
          params: { path: { template_id: id }, header: ifMatch(version) },
          body,
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
