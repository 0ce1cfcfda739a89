/** A 409 "duplicate customer" names the field another customer already holds. */
import type { FormInstance } from "antd";
import type { TFunction } from "i18next";

import { ApiError } from "@/lib/api/problem";

export function placeDuplicate(form: FormInstance, error: unknown, t: TFunction): boolean {
  if (!(error instanceof ApiError) || error.status !== 409) return false;
  const field = (error.problem as { field?: string }).field;
  if (field !== "phone" && field !== "email") return false;
  form.setFields([{ name: field, errors: [t("form.duplicate", { ns: "customers" })] }]);
  return true;
}
