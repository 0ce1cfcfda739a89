/** The sentence a failed call shows: what the person can do about it. */
import type { TFunction } from "i18next";

import { ApiError } from "@/lib/api/problem";

export function errorText(t: TFunction, error: unknown): string {
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 0) return t("errors.network", { ns: "common" });
  if (status === 403) return t("errors.forbidden", { ns: "common" });
  if (status === 404) return t("errors.notFound", { ns: "common" });
  if (status === 412) return t("errors.conflict", { ns: "common" });
  if (status === 409 || status === 422) {
    const detail = error instanceof ApiError ? error.problem.detail : undefined;
    return detail
      ? t("errors.refused", { ns: "sales", detail })
      : t("errors.invalid", { ns: "common" });
  }
  return t("errors.server", { ns: "common" });
}
