import dayjs from "dayjs";
import { describe, expect, it } from "vitest";

import { apiDate, apiMonth } from "./dates";

describe("API dates", () => {
  it("writes a day and a month as the API reads them", () => {
    const moment = dayjs("2026-03-04T23:30:00");
    expect(apiDate(moment)).toBe("2026-03-04");
    expect(apiMonth(moment)).toBe("2026-03");
  });

  it("keeps an empty date empty", () => {
    expect(apiDate(null)).toBeNull();
    expect(apiDate(undefined)).toBeNull();
  });
});
