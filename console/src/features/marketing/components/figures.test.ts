import { describe, expect, it } from "vitest";

import { formatters } from "@/lib/i18n/format";

import { settledShare } from "./CampaignResults";
import { promotionValue } from "./PromotionList";

describe("settledShare", () => {
  it("is the share of the audience no longer queued", () => {
    expect(settledShare({ audience: 4, queued: 1 })).toBe(75);
    expect(settledShare({ audience: 0, queued: 0 })).toBe(0);
  });
});

describe("promotionValue", () => {
  const format = formatters("en");
  const points = (count: number) => `${count} points`;

  it("reads a percentage as a percentage, points as points, other kinds as money", () => {
    expect(promotionValue({ kind: "percentage_discount", value: "15.00" }, format, points)).toBe(
      "15%",
    );
    expect(promotionValue({ kind: "loyalty_points", value: "200.00" }, format, points)).toBe(
      "200 points",
    );
    expect(promotionValue({ kind: "fixed_discount", value: "50.00" }, format, points)).toBe(
      "CN¥50.00",
    );
  });
});
