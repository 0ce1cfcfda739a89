/** Quotes (S-7), orders, invoices and payments (S-8): the lists the console shows. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type Quote = Schemas["QuoteOut"];
export type Order = Schemas["OrderOut"];
export type Invoice = Schemas["InvoiceOut"];
export type Payment = Schemas["PaymentOut"];

export const PAGE_SIZE = 20;

export function useQuotes(offset: number) {
  return useQuery({
    queryKey: ["sales", "quotes", offset],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/quotes", { params: { query: { offset, limit: PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });
}

/** One deal's quotes, latest first as the API lists them. */
export function useDealQuotes(opportunityId: string) {
  return useQuery({
    queryKey: ["sales", "quotes", "deal", opportunityId],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/quotes", {
          params: { query: { opportunity_id: opportunityId, limit: 100 } },
        }),
      ),
  });
}

export function useOrders(offset: number) {
  return useQuery({
    queryKey: ["sales", "orders", offset],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/orders", {
          params: { query: { offset, limit: PAGE_SIZE, sort: "-created_at" } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Invoices, or (`overdue`) only those past their due date with a balance left. */
export function useInvoices(offset: number, overdue: boolean) {
  return useQuery({
    queryKey: ["sales", "invoices", overdue ? "overdue" : "all", offset],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/invoices", {
          params: { query: { offset, limit: PAGE_SIZE, overdue: overdue || undefined } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function usePayments(offset: number) {
  return useQuery({
    queryKey: ["sales", "payments", offset],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/payments", { params: { query: { offset, limit: PAGE_SIZE } } }),
      ),
    placeholderData: keepPreviousData,
  });
}
