/** How a ticket came in, from what the support service records: the opening step of its
 * history names who opened it. Tickets from the public form and mail to the support
 * address are opened by nobody signed in (api/support_forms.py and
 * operations/inbound_mail.py open them with no actor), so their requester is only who
 * they say they are; a ticket a signed-in person entered (a phone call, a chat) names
 * that person, who spoke with the requester. */
import type { Schemas } from "@/lib/api/client";

type Ticket = Pick<Schemas["TicketOut"], "channel" | "history">;

export type TicketOrigin =
  { kind: "form" } | { kind: "email" } | { kind: "agent"; agentId: string };

export function ticketOrigin(ticket: Ticket): TicketOrigin {
  const opening = ticket.history.find((change) => change.from_status === null);
  if (opening?.actor_id) return { kind: "agent", agentId: opening.actor_id };
  return ticket.channel === "email" ? { kind: "email" } : { kind: "form" };
}

/** Whether the requester's name and address are only as typed by whoever sent the
 * ticket in, nobody having checked them. */
export function isUnverified(origin: TicketOrigin): boolean {
  return origin.kind !== "agent";
}
