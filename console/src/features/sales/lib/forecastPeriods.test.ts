import { describe, expect, it } from "vitest";

import { forecastPeriods, periodLabel } from "./forecastPeriods";

describe("forecast periods", () => {
  it("puts the deals without a close date after every dated period", () => {
    const rows = [
      { period: "unscheduled" },
      { period: "2027-Q1" },
      { period: "2026-Q4" },
      { period: "unscheduled" },
    ];
    expect(forecastPeriods(rows)).toEqual(["2026-Q4", "2027-Q1", "unscheduled"]);
    expect(forecastPeriods([{ period: "2026-07" }])).toEqual(["2026-07"]);
  });

  it("names the undated deals in the reader's words and keeps dated periods as they are", () => {
    expect(periodLabel("unscheduled", "未排期")).toBe("未排期");
    expect(periodLabel("2026-Q4", "未排期")).toBe("2026-Q4");
  });
});
