/** The ticket requests (support service) with their TanStack Query hooks. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";
import type { paths } from "@/lib/api/schema";

export type Ticket = Schemas["TicketOut"];
export type TicketSummary = Schemas["TicketSummaryOut"];
export type TicketQuery = NonNullable<paths["/api/v1/tickets"]["get"]["parameters"]["query"]>;
export type TicketCreate = Schemas["TicketCreate"];
export type MessageIn = Schemas["MessageIn"];

export const ticketKeys = {
  all: ["support", "tickets"] as const,
  list: (query: TicketQuery) => [...ticketKeys.all, "list", query] as const,
  one: (id: string) => [...ticketKeys.all, "one", id] as const,
  context: (id: string) => [...ticketKeys.all, "context", id] as const,
};

export function useTickets(query: TicketQuery) {
  return useQuery({
    queryKey: ticketKeys.list(query),
    queryFn: async () => unwrap(await api.GET("/api/v1/tickets", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useTicket(id: string) {
  return useQuery({
    queryKey: ticketKeys.one(id),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/tickets/{ticket_id}", { params: { path: { ticket_id: id } } })),
  });
}

export function useTicketContext(id: string) {
  return useQuery({
    queryKey: ticketKeys.context(id),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/tickets/{ticket_id}/context", {
          params: { path: { ticket_id: id }, query: { articles: 5 } },
        }),
      ),
  });
}

export function useAgents() {
  return useQuery({
    queryKey: ["support", "agents"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/ticket-agents", { params: { query: { limit: 200 } } })),
    staleTime: 5 * 60_000,
  });
}

/** Writes the changed ticket into the cache and marks the lists stale. */
function useTicketWritten() {
  const client = useQueryClient();
  return (ticket: Ticket) => {
    client.setQueryData(ticketKeys.one(ticket.id), ticket);
    void client.invalidateQueries({ queryKey: [...ticketKeys.all, "list"] });
  };
}

export function useCreateTicket() {
  const written = useTicketWritten();
  return useMutation({
    mutationFn: async (body: TicketCreate) => unwrap(await api.POST("/api/v1/tickets", { body })),
    onSuccess: written,
  });
}

export function useReply(id: string) {
  const written = useTicketWritten();
  return useMutation({
    mutationFn: async (body: MessageIn) =>
      unwrap(
        await api.POST("/api/v1/tickets/{ticket_id}/messages", {
          params: { path: { ticket_id: id } },
          body,
        }),
      ),
    onSuccess: written,
  });
}

export function useTransition(id: string) {
  const written = useTicketWritten();
  return useMutation({
    mutationFn: async (input: { to: Schemas["TicketStatus"]; note?: string; version: number }) =>
      unwrap(
        await api.POST("/api/v1/tickets/{ticket_id}/transitions", {
          params: { path: { ticket_id: id }, header: ifMatch(input.version) },
          body: { to: input.to, note: input.note || null },
        }),
      ),
    onSuccess: written,
  });
}

export function useAssign(id: string) {
  const written = useTicketWritten();
  return useMutation({
    mutationFn: async (input: {
      assignee_id?: string | null;
      team?: string | null;
      version: number;
    }) =>
      unwrap(
        await api.POST("/api/v1/tickets/{ticket_id}/assignment", {
          params: { path: { ticket_id: id }, header: ifMatch(input.version) },
          body: { assignee_id: input.assignee_id ?? null, team: input.team ?? null },
        }),
      ),
    onSuccess: written,
  });
}

export function useEscalate(id: string) {
  const written = useTicketWritten();
  return useMutation({
    mutationFn: async (input: { reason?: string; version: number }) =>
      unwrap(
        await api.POST("/api/v1/tickets/{ticket_id}/escalation", {
          params: { path: { ticket_id: id }, header: ifMatch(input.version) },
          body: { reason: input.reason || null },
        }),
      ),
    onSuccess: written,
  });
}

/** Links a ticket from an unverified requester to the customer the agent checked it is
 * from; the ticket's context (the customer, their recent tickets) is fetched anew. */
export function useLinkCustomer(id: string) {
  const written = useTicketWritten();
  const client = useQueryClient();
  return useMutation({
    // No If-Match: the link is made once, and a second agent linking meanwhile is
    // answered 409 (already linked), which says more than a 412 would.
    mutationFn: async (customerId: string) =>
      unwrap(
        await api.PUT("/api/v1/tickets/{ticket_id}/customer", {
          params: { path: { ticket_id: id } },
          body: { customer_id: customerId },
        }),
      ),
    onSuccess: (ticket) => {
      written(ticket);
      void client.invalidateQueries({ queryKey: ticketKeys.context(id) });
    },
  });
}
