import { describe, expect, it } from "vitest";

import { fromRules, ruleCount, toRules } from "./rules";

describe("toRules", () => {
  it("trims, drops blanks and duplicates, and formats money with two decimals", () => {
    const rules = toRules({
      tiers: ["vip", "svip"],
      tags_any: [" spring ", "", "spring"],
      min_consumption: 100,
      active_within_days: 30.4,
      max_consumption: null,
    });
    expect(rules.tiers).toEqual(["vip", "svip"]);
    expect(rules.tags_any).toEqual(["spring"]);
    expect(rules.regions).toEqual([]);
    expect(rules.min_consumption).toBe("100.00");
    expect(rules.active_within_days).toBe(30);
    expect("max_consumption" in rules).toBe(false);
  });

  it("round-trips through the form values", () => {
    const rules = toRules({ regions: ["Beijing"], max_consumption: 5000 });
    expect(fromRules(rules)).toEqual({ regions: ["Beijing"], max_consumption: 5000 });
  });
});

describe("ruleCount", () => {
  it("counts only the rules that narrow the audience", () => {
    expect(ruleCount(toRules({}))).toBe(0);
    expect(ruleCount(toRules({ tiers: ["vip"], inactive_for_days: 90 }))).toBe(2);
  });
});
