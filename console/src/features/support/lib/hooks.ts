/** Small hooks the support screens share: a ticking clock, durations in words, how a
 * failed request is told, and who a person id is. */
import { App, type FormInstance } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";
import { usePeople } from "@/lib/people";

import { durationParts } from "./sla";

/** The current time, refreshed every `intervalMs`, for countdowns. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function useDuration(): (seconds: number) => string {
  const { t } = useTranslation("support");
  return (seconds) =>
    seconds < 60
      ? t("duration.underMinute")
      : durationParts(seconds)
          .map((part) => t(`duration.${part.unit}`, { count: part.value }))
          .join(" ");
}

/** The text for a failed call: a field-less problem the person can act on. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation(["support", "common"]);
  return (error) => errorText(t, error);
}

/** Shows a failed call as a message. */
export function useReportError(): (error: unknown) => void {
  const { message } = App.useApp();
  const text = useErrorText();
  return (error) => void message.error(text(error));
}

/** A person id as a name: "me", else the name the people directory gives (see
 * lib/people); `ids` are the people the screen shows, looked up at once. */
export function usePersonName(
  ids: readonly (string | null | undefined)[],
): (id: string | null | undefined) => string {
  const { t } = useTranslation("support");
  const { me } = useSession();
  const name = usePeople(ids);
  return (id) => {
    if (!id) return t("ticket.unassigned");
    if (id === me?.subject) return t("ticket.me");
    return name(id) ?? "…";
  };
}

/** Puts a failed call's field errors beside their fields; answers the text to show
 * above the form (or null when every error found its field). */
export function usePlaceErrors(): (form: FormInstance, error: unknown) => string | null {
  const text = useErrorText();
  return (form, error) => {
    const unplaced = showFieldErrors(form, error);
    const placed =
      error instanceof ApiError && (error.problem.errors?.length ?? 0) > unplaced.length;
    return placed && !unplaced.length ? null : text(error);
  };
}
