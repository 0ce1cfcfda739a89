import { describe, expect, it } from "vitest";

import { pickDay, readDueAt, showDueAt } from "./dueAt";

function local(text: string): Date | null {
  const reading = readDueAt(text);
  return reading.kind === "time" ? reading.at : null;
}

describe("readDueAt", () => {
  it("takes a day and time without seconds, as people type it", () => {
    expect(local("2026-12-08 10:00")).toEqual(new Date(2026, 11, 8, 10, 0, 0));
  });

  it("takes seconds too", () => {
    expect(local("2026-12-08 10:00:30")).toEqual(new Date(2026, 11, 8, 10, 0, 30));
  });

  it("takes slashes, dots, single digits, an ISO T and spaces around", () => {
    const expected = new Date(2026, 11, 8, 9, 5, 0);
    for (const text of [
      "2026/12/8 9:05",
      "2026.12.08 09:05",
      "2026-12-08T09:05",
      "  2026-12-08   09:05  ",
      "2026-12-08 09：05",
    ]) {
      expect(local(text), text).toEqual(expected);
    }
  });

  it("takes the Chinese way of writing a date and time", () => {
    expect(local("2026年12月8日 10:00")).toEqual(new Date(2026, 11, 8, 10, 0, 0));
    expect(local("2026年12月8日 10时30分")).toEqual(new Date(2026, 11, 8, 10, 30, 0));
  });

  it("puts a day without a time at the start of the working day", () => {
    expect(local("2026-12-08")).toEqual(new Date(2026, 11, 8, 9, 0, 0));
    expect(local("2026年12月8日")).toEqual(new Date(2026, 11, 8, 9, 0, 0));
  });

  it("reads an empty field as no due date", () => {
    expect(readDueAt("")).toEqual({ kind: "empty" });
    expect(readDueAt("   ")).toEqual({ kind: "empty" });
  });

  it("refuses what is not a time, and days and times that do not exist", () => {
    for (const text of [
      "tomorrow",
      "08-12-2026 10:00",
      "2026-12-08 10",
      "2026-12-08 10:00 pm",
      "2026-13-01 10:00",
      "2026-02-30 10:00",
      "2026-12-08 24:00",
      "2026-12-08 10:60",
      "2026-12-08 10:00:61",
      "20261208",
    ]) {
      expect(readDueAt(text), text).toEqual({ kind: "invalid" });
    }
  });
});

describe("showDueAt", () => {
  it("shows minutes, and seconds only when there are", () => {
    expect(showDueAt(new Date(2026, 0, 5, 9, 0, 0))).toBe("2026-01-05 09:00");
    expect(showDueAt(new Date(2026, 0, 5, 9, 0, 7))).toBe("2026-01-05 09:00:07");
  });
});

describe("pickDay", () => {
  it("puts a picked day at 09:00 when no time was typed", () => {
    expect(pickDay(2026, 12, 8, "")).toBe("2026-12-08 09:00");
    expect(pickDay(2026, 12, 8, "garbage")).toBe("2026-12-08 09:00");
  });

  it("keeps the time already typed", () => {
    expect(pickDay(2026, 12, 9, "2026-12-08 15:30")).toBe("2026-12-09 15:30");
  });
});
