/** An owner's name: "you" for the signed-in person, else their name from the people
 * directory (see lib/people); `ids` are the owners the screen shows, looked up at once. */
import { useCallback } from "react";
import { useTranslation } from "react-i18next";

import { useSession } from "@/lib/auth/SessionProvider";
import { usePeople } from "@/lib/people";

export function useOwnerName(ids: readonly (string | null | undefined)[]) {
  const { t } = useTranslation("sales");
  const { me } = useSession();
  const name = usePeople(ids);
  return useCallback(
    (ownerId: string | null | undefined): string => {
      if (!ownerId) return t("owner.nobody");
      if (ownerId === me?.subject) return t("owner.you");
      return name(ownerId) ?? "…";
    },
    [me?.subject, name, t],
  );
}
