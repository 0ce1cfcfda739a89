import dayjs from "dayjs";
import { describe, expect, it } from "vitest";

import { defaultFilters, filtersFrom, reportQuery } from "./filters";

const today = dayjs("2026-03-15");

describe("report filters", () => {
  it("default to the last six months by rep", () => {
    expect(defaultFilters(today)).toEqual({ from: "2025-10", to: "2026-03", groupBy: "owner" });
  });

  it("are read from the address when valid", () => {
    const params = new URLSearchParams("from=2026-01&to=2026-02&group=team");
    expect(filtersFrom(params, today)).toEqual({ from: "2026-01", to: "2026-02", groupBy: "team" });
  });

  it("fall back when the months are wrong or reversed", () => {
    expect(filtersFrom(new URLSearchParams("from=2026-13&to=2026-02"), today).from).toBe("2025-10");
    expect(filtersFrom(new URLSearchParams("from=2026-03&to=2026-01"), today).to).toBe("2026-03");
  });

  it("become the reports API's query", () => {
    expect(reportQuery({ from: "2026-01", to: "2026-02", groupBy: "team" })).toEqual({
      period_from: "2026-01",
      period_to: "2026-02",
      group_by: "team",
    });
  });
});
