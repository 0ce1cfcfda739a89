/** What a failed call tells the person: the API's own words for a rule it enforces,
 * else a common message by status. */
import type { TFunction } from "i18next";

import { ApiError } from "@/lib/api/problem";

export function errorMessage(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t("errors.server", { ns: "common" });
  if (error.status === 0) return t("errors.network", { ns: "common" });
  if (error.status === 412) return t("errors.conflict", { ns: "common" });
  if (error.status === 403) return t("errors.forbidden", { ns: "common" });
  if (error.status === 404) return t("errors.notFound", { ns: "common" });
  if (error.status >= 500) return t("errors.server", { ns: "common" });
  return error.problem.detail ?? error.problem.title ?? t("errors.invalid", { ns: "common" });
}
