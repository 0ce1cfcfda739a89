/** The ticket lifecycle as the support service enforces it (T-2), for offering only
 * the moves the API will accept. Mirrors services/support/.../domain/lifecycle.py. */
import type { Schemas } from "@/lib/api/client";

export type TicketStatus = Schemas["TicketStatus"];

export const STATUSES: TicketStatus[] = [
  "new",
  "assigned",
  "in_progress",
  "waiting_on_customer",
  "resolved",
  "closed",
  "reopened",
];

export const OPEN_STATUSES: TicketStatus[] = [
  "new",
  "assigned",
  "in_progress",
  "waiting_on_customer",
  "reopened",
];

const TRANSITIONS: Record<TicketStatus, TicketStatus[]> = {
  new: ["assigned"],
  assigned: ["in_progress", "waiting_on_customer", "resolved"],
  in_progress: ["waiting_on_customer", "resolved"],
  waiting_on_customer: ["in_progress", "resolved"],
  resolved: ["closed", "reopened"],
  closed: [],
  reopened: ["assigned", "in_progress", "waiting_on_customer", "resolved"],
};

/** The statuses a person may move the ticket to by hand. "assigned" is reached by
 * assigning (the assignment route), so it is not offered as a bare status move. */
export function nextStatuses(current: TicketStatus): TicketStatus[] {
  return TRANSITIONS[current].filter((status) => status !== "assigned");
}

export function isOpen(status: TicketStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Solid tag colours per status and priority, dark enough for white text (WCAG AA);
 * the text always names the status too. */
export const STATUS_COLOURS: Record<TicketStatus, string> = {
  new: "#1360d6",
  assigned: "#006d75",
  in_progress: "#1d39c4",
  waiting_on_customer: "#874d00",
  resolved: "#237804",
  closed: "#595959",
  reopened: "#9e1068",
};

export const PRIORITY_COLOURS: Record<Schemas["Priority"], string> = {
  low: "#595959",
  normal: "#1360d6",
  high: "#ad4e00",
  urgent: "#a8071a",
};

export const RED = "#a8071a";
export const GREEN = "#237804";
/** A caution (an unverified requester), dark enough for white text on it. */
export const AMBER = "#874d00";
