/** The queue's view, kept in the address: which filters, which order, which page. */
import type { Schemas } from "@/lib/api/client";

import type { TicketQuery } from "../api/tickets";

import { STATUSES } from "./lifecycle";

export const PRIORITIES: Schemas["Priority"][] = ["low", "normal", "high", "urgent"];
export const TYPES: Schemas["TicketType"][] = ["technical", "billing", "complaint", "suggestion"];
export const CHANNELS: Schemas["SupportChannel"][] = ["phone", "email", "web", "chat", "api"];
export const SORTABLE = ["opened_at", "status", "sla.resolution.due_at"];
export const PAGE_SIZES = [10, 20, 50, 100];

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((item) => item === value);
}

/** The list request for the address's parameters; unknown values are ignored. */
export function queueQuery(params: URLSearchParams, me: string | undefined): TicketQuery {
  const statuses = params
    .getAll("status")
    .map((value) => oneOf(value, STATUSES))
    .filter((value): value is Schemas["TicketStatus"] => value !== undefined);
  const size = Number(params.get("size"));
  const limit = PAGE_SIZES.includes(size) ? size : 20;
  const page = Math.max(1, Math.floor(Number(params.get("page")) || 1));
  const sort = params.get("sort");
  const query: TicketQuery = {
    sort: sort && SORTABLE.includes(sort.replace(/^-/, "")) ? sort : "-opened_at",
    offset: (page - 1) * limit,
    limit,
  };
  if (statuses.length) query.status = statuses;
  const priority = oneOf(params.get("priority"), PRIORITIES);
  if (priority) query.priority = priority;
  const type = oneOf(params.get("type"), TYPES);
  if (type) query.type = type;
  if (params.get("mine") === "1" && me) query.assignee_id = me;
  if (params.get("breached") === "1") query.sla_breached = true;
  return query;
}

/** The column's sort order in the table, from the request's sort. */
export function sortOrder(
  sort: string | null | undefined,
  key: string,
): "ascend" | "descend" | null {
  if (sort === key) return "ascend";
  if (sort === `-${key}`) return "descend";
  return null;
}
