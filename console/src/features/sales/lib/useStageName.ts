/** A stage's name in the reader's language: the default pipeline's stages are
 * translated; stages an administrator added show the name they were given. */
import { useCallback } from "react";
import { useTranslation } from "react-i18next";

import type { Stage } from "../api/pipelines";

export function useStageName(stages: readonly Stage[] | undefined) {
  const { t, i18n } = useTranslation("sales");
  return useCallback(
    (key: string | null | undefined): string => {
      if (!key) return "—";
      if (i18n.exists(`stages.${key}`, { ns: "sales" })) return t(`stages.${key}`);
      return stages?.find((stage) => stage.key === key)?.name ?? key;
    },
    [stages, t, i18n],
  );
}
