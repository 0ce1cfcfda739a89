/** A lead's status colour, the same in the inbox and on the lead's page. */
import type { LeadStatus } from "../api/leads";
import { TAG } from "./colors";

export const LEAD_STATUS_COLOR: Record<LeadStatus, string> = {
  new: TAG.blue,
  contacted: TAG.cyan,
  qualified: TAG.green,
  disqualified: TAG.grey,
  converted: TAG.purple,
};
