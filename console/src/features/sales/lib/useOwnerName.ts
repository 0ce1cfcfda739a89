/** An owner's name: "you" for the signed-in person, a rep's name when the routing
 * table knows them, else their id. */
import { useCallback } from "react";
import { useTranslation } from "react-i18next";

import { useSession } from "@/lib/auth/SessionProvider";

import { useReps } from "../api/pipelines";

export function useOwnerName() {
  const { t } = useTranslation("sales");
  const { me } = useSession();
  const reps = useReps();
  return useCallback(
    (ownerId: string | null | undefined): string => {
      if (!ownerId) return t("owner.nobody");
      if (ownerId === me?.subject) return t("owner.you");
      return reps.data?.find((rep) => rep.rep_id === ownerId)?.name ?? ownerId;
    },
    [me?.subject, reps.data, t],
  );
}
