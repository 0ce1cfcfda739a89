import { describe, expect, it } from "vitest";

import { formatters } from "./format";

describe("formatters", () => {
  it("formats CNY for each language from the API's decimal strings", () => {
    expect(formatters("zh-CN").money("1234.5")).toBe("¥1,234.50");
    expect(formatters("en").money("1234.5")).toBe("CN¥1,234.50");
  });

  it("shows a dash for a missing value instead of zero", () => {
    const { money, date, percent } = formatters("en");
    expect(money(null)).toBe("—");
    expect(date(undefined)).toBe("—");
    expect(percent(null)).toBe("—");
  });

  it("formats dates in the reader's language", () => {
    const moment = "2026-03-04T05:06:07Z";
    expect(formatters("zh-CN").date(moment)).toContain("2026年3月");
    expect(formatters("en").date(moment)).toMatch(/Mar \d, 2026/);
  });
});
