/** What an SLA clock means now: time left, met, breached or paused (T-4), from the due
 * times and flags the support service returns. */
import type { Schemas } from "@/lib/api/client";

export type SlaClock = Schemas["SlaClockOut"];

export type ClockState =
  | { kind: "running"; secondsLeft: number; warned: boolean }
  | { kind: "overdue"; secondsOver: number }
  | { kind: "paused" }
  | { kind: "met" }
  | { kind: "breached" };

export function clockState(clock: SlaClock, now: number): ClockState {
  if (clock.stopped_at) return clock.breached ? { kind: "breached" } : { kind: "met" };
  if (!clock.running || !clock.due_at) {
    return clock.breached ? { kind: "breached" } : { kind: "paused" };
  }
  const left = Math.round((new Date(clock.due_at).getTime() - now) / 1000);
  if (left <= 0 || clock.breached) return { kind: "overdue", secondsOver: Math.max(0, -left) };
  const warned = clock.warned || (clock.warn_at ? new Date(clock.warn_at).getTime() <= now : false);
  return { kind: "running", secondsLeft: left, warned };
}

export function isBreached(state: ClockState): boolean {
  return state.kind === "overdue" || state.kind === "breached";
}

/** Days, hours and minutes of a duration, the two largest non-zero parts. */
export function durationParts(seconds: number): { unit: "d" | "h" | "m"; value: number }[] {
  const total = Math.max(0, Math.round(seconds / 60));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const parts: { unit: "d" | "h" | "m"; value: number }[] = [];
  if (days) parts.push({ unit: "d", value: days });
  if (hours) parts.push({ unit: "h", value: hours });
  if (minutes || !parts.length) parts.push({ unit: "m", value: minutes });
  return parts.slice(0, 2);
}

type Tier = Schemas["Tier"];
type Priority = Schemas["Priority"];

const BUILT_IN_POLICY = /^default-(normal|vip|svip)-(low|normal|high|urgent)$/;

/** The tier and priority of a built-in default SLA policy, from its id: the support
 * service names those ids `default-<tier>-<priority>` (domain/sla.py, default_policy) and
 * gives them an English name, so the screen names them in the reader's language instead.
 * Null for a policy an administrator created, whose own name is shown as given. */
export function builtInPolicy(policyId: string): { tier: Tier; priority: Priority } | null {
  const match = BUILT_IN_POLICY.exec(policyId);
  if (!match) return null;
  return { tier: match[1] as Tier, priority: match[2] as Priority };
}
