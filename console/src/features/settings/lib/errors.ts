/** What to tell a person when a call failed: the common words for the usual cases. */
import type { TFunction } from "i18next";

import { ApiError } from "@/lib/api/problem";

export function errorText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.isConflict) return t("errors.conflict", { ns: "common" });
    if (error.status === 403) return t("errors.forbidden", { ns: "common" });
    if (error.status === 404) return t("errors.notFound", { ns: "common" });
    if (error.status === 0) return t("errors.network", { ns: "common" });
    if (error.status === 422) return t("errors.invalid", { ns: "common" });
    if (error.status >= 500) return t("errors.server", { ns: "common" });
    return error.message;
  }
  return t("errors.network", { ns: "common" });
}
