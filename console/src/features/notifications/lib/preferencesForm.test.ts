import { describe, expect, it } from "vitest";

import type { Preferences } from "../api/preferences";
import { kindsFor } from "./kinds";
import { timeZones, toDocument, toValues } from "./preferencesForm";

const stored: Preferences = {
  language: "en",
  time_zone: "Europe/Berlin",
  quiet_hours: { start: "22:30", end: "07:00" },
  digest: { enabled: true, at: "08:15" },
  channels: { lead_assigned: ["console"], sla_breached: ["console", "email"], import_failed: [] },
};

describe("preferences form", () => {
  it("gives back the document it was made from", () => {
    expect(toDocument(toValues(stored))).toEqual(stored);
  });

  it("sends no quiet hours when they are switched off, and keeps the digest's time", () => {
    const values = toValues({
      ...stored,
      quiet_hours: null,
      digest: { enabled: false, at: "08:00" },
    });

    expect(values.quiet_enabled).toBe(false);
    expect(values.quiet_hours.start?.format("HH:mm")).toBe("22:00");
    expect(toDocument(values).quiet_hours).toBeNull();
    expect(toDocument({ ...values, quiet_enabled: true }).quiet_hours).toEqual({
      start: "22:00",
      end: "07:00",
    });
    expect(toDocument(values).digest).toEqual({ enabled: false, at: "08:00" });
  });

  it("offers the person's own time zone even when the browser does not know it", () => {
    expect(timeZones("Asia/Shanghai")).toContain("Asia/Shanghai");
    expect(timeZones("Mars/Olympus")[0]).toBe("Mars/Olympus");
  });
});

describe("kindsFor", () => {
  it("lists dead letters only to those who administer events", () => {
    const rep = kindsFor(() => false);
    const admin = kindsFor((permission) => permission === "events:admin");

    expect(rep).not.toContain("dead_letters_parked");
    expect(rep[0]).toBe("lead_assigned");
    expect(admin).toContain("dead_letters_parked");
    expect(admin).toHaveLength(rep.length + 1);
  });
});
