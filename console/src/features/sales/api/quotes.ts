/** Quotes (S-7): the templates, a new quote, one quote, its revisions, its status,
 * notes and PDF. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";
import { fileNameOf, saveBlob } from "@/lib/download";

import type { QuoteStatus } from "../lib/documentFlow";
import type { Quote } from "./documents";

export type Terms = Schemas["Terms-Input"];
export type QuoteCreate = Schemas["QuoteCreate"];
export type QuoteTemplate = Schemas["QuoteTemplate"];

export const quoteKeys = {
  all: ["sales", "quotes"] as const,
  one: (id: string) => ["sales", "quotes", "one", id] as const,
  templates: ["sales", "quote-templates"] as const,
};

export function useQuoteTemplates() {
  return useQuery({
    queryKey: quoteKeys.templates,
    queryFn: async () => unwrap(await api.GET("/api/v1/quotes/templates")),
    staleTime: 5 * 60_000,
  });
}

export function useQuote(id: string) {
  return useQuery({
    queryKey: quoteKeys.one(id),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/quotes/{quote_id}", { params: { path: { quote_id: id } } })),
  });
}

/** Writes the changed quote into the cache and marks the lists stale. */
function useQuoteWritten() {
  const client = useQueryClient();
  return (quote: Quote) => {
    client.setQueryData(quoteKeys.one(quote.quote_id), quote);
    void client.invalidateQueries({ queryKey: quoteKeys.all, refetchType: "none" });
  };
}

/** Drafts a quote (its first revision); the lists then show it. */
export function useCreateQuote() {
  const written = useQuoteWritten();
  return useMutation({
    mutationFn: async (body: QuoteCreate) => unwrap(await api.POST("/api/v1/quotes", { body })),
    onSuccess: written,
  });
}

export function useReviseQuote(quote: Pick<Quote, "quote_id" | "version">) {
  const written = useQuoteWritten();
  return useMutation({
    mutationFn: async (terms: Terms) =>
      unwrap(
        await api.POST("/api/v1/quotes/{quote_id}/revisions", {
          params: {
            path: { quote_id: quote.quote_id },
            header: ifMatch(quote.version),
          },
          body: terms,
        }),
      ),
    onSuccess: written,
  });
}

export function useQuoteStatus(quote: Pick<Quote, "quote_id" | "version">) {
  const written = useQuoteWritten();
  return useMutation({
    mutationFn: async (status: QuoteStatus) =>
      unwrap(
        await api.PUT("/api/v1/quotes/{quote_id}/status", {
          params: {
            path: { quote_id: quote.quote_id },
            header: ifMatch(quote.version),
          },
          body: { status },
        }),
      ),
    onSuccess: written,
  });
}

export function useQuoteNote(quoteId: string) {
  const written = useQuoteWritten();
  return useMutation({
    mutationFn: async (text: string) =>
      unwrap(
        await api.POST("/api/v1/quotes/{quote_id}/notes", {
          params: { path: { quote_id: quoteId } },
          body: { text },
        }),
      ),
    onSuccess: written,
  });
}

/** Downloads one revision as the PDF the customer gets. */
export async function downloadQuotePdf(quote: Quote, revision: number): Promise<void> {
  const result = await api.GET("/api/v1/quotes/{quote_id}/pdf", {
    params: { path: { quote_id: quote.quote_id }, query: { revision } },
    parseAs: "blob",
  });
  const blob = unwrap(result) as unknown as Blob;
  saveBlob(blob, fileNameOf(result.response, `${quote.quote_number}-r${revision}.pdf`));
}
