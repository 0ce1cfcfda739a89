import { describe, expect, it } from "vitest";

import { sumDecimals } from "./decimal";

describe("sumDecimals", () => {
  it("adds decimal strings exactly", () => {
    expect(sumDecimals(["0.10", "0.20"])).toBe("0.3");
    expect(sumDecimals(["1234.50", "100", "0.05"])).toBe("1334.55");
  });

  it("is zero for nothing and keeps signs", () => {
    expect(sumDecimals([])).toBe("0");
    expect(sumDecimals(["-5.25", "2"])).toBe("-3.25");
  });
});
