/** Where a ticket stands against its SLA: the clock that matters now and its state. */
export interface SlaClock {
  breached: boolean;
  running: boolean;
  due_at?: string | null;
  warned: boolean;
}

export interface TicketSla {
  first_response: SlaClock;
  resolution: SlaClock;
}

export type SlaState = "breached" | "warning" | "onTrack" | "stopped";

export interface SlaStanding {
  clock: "firstResponse" | "resolution";
  state: SlaState;
  dueAt: string | null;
}

/** The first-response clock while it runs, else the resolution clock; breached when
 * either clock breached or the running one is past due at `now`. */
export function slaStanding(sla: TicketSla, now: Date): SlaStanding {
  const first = sla.first_response;
  const clock = first.running ? "firstResponse" : "resolution";
  const current = first.running ? first : sla.resolution;
  const dueAt = current.due_at ?? null;
  const late = current.running && dueAt !== null && new Date(dueAt).getTime() < now.getTime();
  let state: SlaState;
  if (first.breached || sla.resolution.breached || late) state = "breached";
  else if (!current.running) state = "stopped";
  else if (current.warned) state = "warning";
  else state = "onTrack";
  return { clock, state, dueAt };
}
