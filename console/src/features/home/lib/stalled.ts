/** Deals without a stage change for longer than their pipeline allows (sales' rule:
 * the pipeline's `stall_days`, else the service default of 14 days). */
export const DEFAULT_STALL_DAYS = 14;
const DAY_MS = 86_400_000;

export interface StallCandidate {
  pipeline_id: string;
  stage_changed_at: string;
  status: string;
}

export function idleDays(stageChangedAt: string, now: Date): number {
  return Math.floor((now.getTime() - new Date(stageChangedAt).getTime()) / DAY_MS);
}

export function stalledDeals<T extends StallCandidate>(
  deals: T[],
  stallDays: Map<string, number | null | undefined>,
  now: Date,
): T[] {
  return deals.filter(
    (deal) =>
      deal.status === "open" &&
      idleDays(deal.stage_changed_at, now) >=
        (stallDays.get(deal.pipeline_id) ?? DEFAULT_STALL_DAYS),
  );
}
