/** What a quote or an order may become next (the sales service's flows), and the
 * ways a payment arrives. The API enforces the flows; the console offers no more. */
import type { Schemas } from "@/lib/api/client";

type Quote = Schemas["QuoteOut"];
type Order = Schemas["OrderOut"];
export type QuoteStatus = Quote["status"];
export type OrderStatus = Order["status"];

/** The statuses a quote may move to next (the service's flow). */
export const NEXT_QUOTE_STATUS: Record<QuoteStatus, QuoteStatus[]> = {
  draft: ["sent"],
  sent: ["accepted", "rejected", "draft"],
  accepted: [],
  rejected: [],
};

/** The statuses an order may move to next (the service's flow); shipping needs the
 * signed contract first. */
export function nextOrderStatuses(order: Pick<Order, "status" | "contract" | "paid">) {
  const next: Record<OrderStatus, OrderStatus[]> = {
    placed: ["confirmed", "cancelled"],
    confirmed: ["shipped", "cancelled"],
    shipped: ["delivered"],
    delivered: ["completed"],
    completed: [],
    cancelled: [],
  };
  return next[order.status].filter(
    (status) =>
      !(status === "shipped" && !order.contract) &&
      !(status === "cancelled" && Number(order.paid) > 0),
  );
}

/** Ways a payment arrives (the API takes any short snake_case word). */
export const PAYMENT_METHODS = ["bank_transfer", "alipay", "wechat_pay", "card", "cash", "cheque"];
