import { describe, expect, it } from "vitest";

import { daysPastDue, wholeDaysSince } from "./elapsed";

describe("wholeDaysSince", () => {
  const now = Date.parse("2026-03-10T12:00:00Z");

  it("counts whole days only", () => {
    expect(wholeDaysSince("2026-03-07T12:00:00Z", now)).toBe(3);
    expect(wholeDaysSince("2026-03-07T12:00:01Z", now)).toBe(2);
  });

  it("is 0 within the first day and never negative", () => {
    expect(wholeDaysSince("2026-03-10T01:00:00Z", now)).toBe(0);
    expect(wholeDaysSince("2026-03-11T00:00:00Z", now)).toBe(0);
  });

  it("takes a Date too", () => {
    expect(wholeDaysSince(new Date("2026-02-28T12:00:00Z"), now)).toBe(10);
  });
});

describe("daysPastDue", () => {
  it("counts calendar days behind today", () => {
    expect(daysPastDue("2026-03-09", new Date(2026, 2, 10, 0, 5))).toBe(1);
    expect(daysPastDue("2026-02-28", new Date(2026, 2, 10, 23, 55))).toBe(10);
  });

  it("says at least one day of what the service calls overdue", () => {
    expect(daysPastDue("2026-03-10", new Date(2026, 2, 10, 9, 0))).toBe(1);
  });
});
