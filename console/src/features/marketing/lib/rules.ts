/** The rule builder's form values <-> the API's segment rules. An empty rule (no
 * values) does not narrow the audience, as the API reads it. */
import type { SegmentRules } from "../api/segments";

export const TIERS = ["normal", "vip", "svip"] as const;

export const LIST_RULES = [
  "tiers",
  "tags_any",
  "tags_all",
  "regions",
  "industries",
  "company_sizes",
] as const;
export const NUMBER_RULES = [
  "min_consumption",
  "max_consumption",
  "active_within_days",
  "inactive_for_days",
] as const;

export type ListRule = (typeof LIST_RULES)[number];
export type NumberRule = (typeof NUMBER_RULES)[number];

export type RuleValues = Partial<Record<ListRule, string[]>> &
  Partial<Record<NumberRule, number | null>>;

export function toRules(values: RuleValues): SegmentRules {
  const lists = (name: ListRule) => [
    ...new Set((values[name] ?? []).map((value) => value.trim()).filter(Boolean)),
  ];
  const rules: SegmentRules = {
    tiers: lists("tiers"),
    tags_any: lists("tags_any"),
    tags_all: lists("tags_all"),
    regions: lists("regions"),
    industries: lists("industries"),
    company_sizes: lists("company_sizes"),
  };
  for (const name of ["min_consumption", "max_consumption"] as const) {
    const value = values[name];
    if (value !== null && value !== undefined) rules[name] = value.toFixed(2);
  }
  for (const name of ["active_within_days", "inactive_for_days"] as const) {
    const value = values[name];
    if (value !== null && value !== undefined) rules[name] = Math.round(value);
  }
  return rules;
}

export function fromRules(rules: SegmentRules | undefined): RuleValues {
  const values: RuleValues = {};
  if (!rules) return values;
  for (const name of LIST_RULES) {
    const list = rules[name];
    if (list?.length) values[name] = [...list];
  }
  for (const name of NUMBER_RULES) {
    const value = rules[name];
    if (value !== null && value !== undefined) values[name] = Number(value);
  }
  return values;
}

/** How many rules narrow the audience. */
export function ruleCount(rules: Partial<SegmentRules>): number {
  return Object.values(rules).filter(
    (value) => value !== null && value !== undefined && !(Array.isArray(value) && !value.length),
  ).length;
}
