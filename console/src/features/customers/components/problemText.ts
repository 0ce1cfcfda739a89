/** What to tell a person about a failed call, in their language (common errors.*). */
import type { TFunction } from "i18next";

import { ApiError } from "@/lib/api/problem";

export function problemText(t: TFunction, error: unknown): string {
  const status = error instanceof ApiError ? error.status : 0;
  const key =
    status === 0
      ? "errors.network"
      : status === 403
        ? "errors.forbidden"
        : status === 404
          ? "errors.notFound"
          : status === 409 || status === 412
            ? "errors.conflict"
            : status === 422 || status === 400
              ? "errors.invalid"
              : "errors.server";
  return t(key, { ns: "common" });
}
