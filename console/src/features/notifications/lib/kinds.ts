/** The kinds of notification, in the order the preferences list them. */
import type { Schemas } from "@/lib/api/client";

export type Kind = Schemas["Kind"];

// A Record, so a kind the API adds fails the type check until it is placed here.
const ORDER: Record<Kind, number> = {
  lead_assigned: 1,
  opportunity_stalled: 2,
  task_assigned: 3,
  task_reminder: 4,
  invoice_overdue: 5,
  ticket_assigned: 6,
  ticket_escalated: 7,
  sla_warning: 8,
  sla_breached: 9,
  import_finished: 10,
  import_failed: 11,
  campaign_finished: 12,
  dead_letters_parked: 13,
};

/** Kinds only some people can receive, and the permission that says who. */
const ONLY_FOR: Partial<Record<Kind, string>> = { dead_letters_parked: "events:admin" };

export function isKind(value: string): value is Kind {
  return Object.hasOwn(ORDER, value);
}

/** The kinds a person may receive, in display order. */
export function kindsFor(can: (permission: string) => boolean): Kind[] {
  return (Object.keys(ORDER) as Kind[])
    .filter((kind) => {
      const permission = ONLY_FOR[kind];
      return !permission || can(permission);
    })
    .sort((a, b) => ORDER[a] - ORDER[b]);
}
