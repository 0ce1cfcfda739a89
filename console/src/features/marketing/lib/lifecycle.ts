/** The campaign lifecycle as the API enforces it (marketing.domain.campaigns), so the
 * page offers only the steps the API would accept. */
import type { Campaign, CampaignStatus } from "../api/campaigns";

export const NEXT_STATUSES: Record<CampaignStatus, CampaignStatus[]> = {
  planned: ["preparing", "cancelled"],
  preparing: ["planned", "running", "cancelled"],
  running: ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};

/** Solid tag colours dark enough for white text (WCAG AA). */
export const STATUS_COLOURS: Record<CampaignStatus, string> = {
  planned: "#595959",
  preparing: "#ad4e00",
  running: "#0958d9",
  completed: "#237804",
  cancelled: "#a8071a",
};

/** The step index of a status on the way planned -> preparing -> running -> completed. */
export function stepOf(status: CampaignStatus): number {
  return { planned: 0, preparing: 1, running: 2, completed: 3, cancelled: 3 }[status];
}

/** An e-mail campaign starts running by sending to its segment, not by a status change. */
export function sendsEmail(campaign: Pick<Campaign, "channels">): boolean {
  return campaign.channels.includes("email");
}

/** The status buttons to show: every allowed step, except "running" for an e-mail
 * campaign (its launch button does that). */
export function statusActions(campaign: Pick<Campaign, "status" | "channels">): CampaignStatus[] {
  return NEXT_STATUSES[campaign.status].filter(
    (next) => !(next === "running" && sendsEmail(campaign)),
  );
}

export type LaunchBlocker = "status" | "channel" | "segment" | "template";

/** Why the send cannot start yet (null when it can). */
export function launchBlocker(
  campaign: Pick<Campaign, "status" | "channels" | "segment_id" | "template_id" | "send">,
): LaunchBlocker | null {
  if (!sendsEmail(campaign)) return "channel";
  if (campaign.status !== "preparing" && !(campaign.status === "running" && campaign.send))
    return "status";
  if (!campaign.segment_id) return "segment";
  if (!campaign.template_id) return "template";
  return null;
}

/** Plan fields (segment, template, dates…) change only before the campaign runs. */
export function isEditable(status: CampaignStatus): boolean {
  return status === "planned" || status === "preparing";
}
