/** The preferences document and the form that edits it: clock times as dayjs values,
 * quiet hours as a switch plus a window. */
import dayjs, { type Dayjs } from "dayjs";

import type { Channel, Preferences, PreferencesIn } from "../api/preferences";

export interface PreferencesValues {
  language: Preferences["language"];
  time_zone: string;
  quiet_enabled: boolean;
  quiet_hours: { start?: Dayjs | null; end?: Dayjs | null };
  digest: { enabled: boolean; at?: Dayjs | null };
  channels: Record<string, Channel[]>;
}

const CLOCK = "HH:mm";
const DEFAULT_QUIET = { start: "22:00", end: "07:00" };
const DEFAULT_DIGEST_AT = "08:00";

/** "HH:MM" as a time of today (what the time pickers hold). */
export function clock(text: string): Dayjs {
  const [hours = 0, minutes = 0] = text.split(":").map(Number);
  return dayjs().hour(hours).minute(minutes).second(0).millisecond(0);
}

function clockText(value: Dayjs | null | undefined, fallback: string): string {
  return value ? value.format(CLOCK) : fallback;
}

export function toValues(preferences: Preferences): PreferencesValues {
  const quiet = preferences.quiet_hours ?? DEFAULT_QUIET;
  return {
    language: preferences.language,
    time_zone: preferences.time_zone,
    quiet_enabled: preferences.quiet_hours !== null,
    quiet_hours: { start: clock(quiet.start), end: clock(quiet.end) },
    digest: { enabled: preferences.digest.enabled, at: clock(preferences.digest.at) },
    channels: { ...preferences.channels },
  };
}

export function toDocument(values: PreferencesValues): PreferencesIn {
  return {
    language: values.language,
    time_zone: values.time_zone,
    quiet_hours: values.quiet_enabled
      ? {
          start: clockText(values.quiet_hours.start, DEFAULT_QUIET.start),
          end: clockText(values.quiet_hours.end, DEFAULT_QUIET.end),
        }
      : null,
    digest: {
      enabled: values.digest.enabled,
      at: clockText(values.digest.at, DEFAULT_DIGEST_AT),
    },
    channels: values.channels,
  };
}

/** IANA time zones the browser knows, with ``current`` among them. */
export function timeZones(current: string): string[] {
  const known = Intl.supportedValuesOf("timeZone");
  return known.includes(current) ? known : [current, ...known];
}
