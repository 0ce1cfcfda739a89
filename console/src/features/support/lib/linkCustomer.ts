/** What a refused link of a ticket to a customer means, in the support namespace's
 * words: already linked (409) or a customer the support service does not know (422 on
 * body.customer_id). Null for anything else, which the common problem text tells. */
import { ApiError } from "@/lib/api/problem";

export type LinkProblem = "link.alreadyLinked" | "link.unknownCustomer";

export function linkProblemKey(error: unknown): LinkProblem | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 409) return "link.alreadyLinked";
  if (
    error.status === 422 &&
    (error.problem.errors ?? []).some((item) => item.field === "body.customer_id")
  ) {
    return "link.unknownCustomer";
  }
  return null;
}
