/** Placing an order (S-8), one order with its status flow and invoices; one invoice
 * and its payments. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

import type { OrderStatus } from "../lib/documentFlow";
import type { Invoice, Order } from "./documents";

export type PaymentCreate = Schemas["PaymentCreate"];
export type OrderCreate = Schemas["OrderCreate"];

export const orderKeys = {
  orders: ["sales", "orders"] as const,
  invoices: ["sales", "invoices"] as const,
  payments: ["sales", "payments"] as const,
  order: (id: string) => ["sales", "orders", "one", id] as const,
  invoice: (id: string) => ["sales", "invoices", "one", id] as const,
};

export function useOrder(id: string) {
  return useQuery({
    queryKey: orderKeys.order(id),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/orders/{order_id}", { params: { path: { order_id: id } } })),
  });
}

export function useInvoice(id: string) {
  return useQuery({
    queryKey: orderKeys.invoice(id),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/invoices/{invoice_id}", { params: { path: { invoice_id: id } } }),
      ),
  });
}

/** After a change to an order, its invoices or payments: every list and page is stale. */
function useDocumentsChanged() {
  const client = useQueryClient();
  return () =>
    Promise.all(
      [orderKeys.orders, orderKeys.invoices, orderKeys.payments].map((queryKey) =>
        client.invalidateQueries({ queryKey }),
      ),
    );
}

export function usePlaceOrder() {
  const client = useQueryClient();
  const changed = useDocumentsChanged();
  return useMutation({
    mutationFn: async (body: OrderCreate) => unwrap(await api.POST("/api/v1/orders", { body })),
    onSuccess: async (order) => {
      client.setQueryData(orderKeys.order(order.order_id), order);
      await changed();
    },
  });
}

export function useOrderStatus(order: Pick<Order, "order_id" | "version">) {
  const changed = useDocumentsChanged();
  return useMutation({
    mutationFn: async (status: OrderStatus) =>
      unwrap(
        await api.PUT("/api/v1/orders/{order_id}/status", {
          params: {
            path: { order_id: order.order_id },
            header: ifMatch(order.version),
          },
          body: { status },
        }),
      ),
    onSuccess: changed,
  });
}

export function useIssueInvoice(orderId: string) {
  const changed = useDocumentsChanged();
  return useMutation({
    mutationFn: async (input: { amount: string | null; due_date: string }) =>
      unwrap(await api.POST("/api/v1/invoices", { body: { order_id: orderId, ...input } })),
    onSuccess: changed,
  });
}

export function useRecordPayment(invoice: Pick<Invoice, "invoice_id">) {
  const changed = useDocumentsChanged();
  return useMutation({
    mutationFn: async (input: Omit<PaymentCreate, "invoice_id">) =>
      unwrap(
        await api.POST("/api/v1/payments", {
          body: { ...input, invoice_id: invoice.invoice_id },
        }),
      ),
    onSuccess: changed,
  });
}
