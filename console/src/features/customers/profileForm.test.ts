import { describe, expect, it } from "vitest";

import type { Customer } from "./api/customers";
import { toCreateBody, toFormValues, toPatchBody } from "./profileForm";

const customer = {
  id: "c1",
  member_id: "VIP0000000001",
  name: "Wang Fang",
  email: "wang@example.com",
  phone: "138****0000",
  national_id: null,
  pii_masked: true,
  company: "Acme",
  title: null,
  industry: "retail",
  company_size: null,
  region: "Beijing",
  address: null,
  source_channel: null,
  owner_id: "u1",
  team: "north",
  language: "en",
  tags: ["loyal"],
  custom_fields: {},
  tier: "vip",
  consumption: { total_consumption: "1200.00", last_consumption_at: null, purchases_last_year: 2 },
  value: { recency: 1, frequency: 2, monetary: 3, score: 25, segments: [] },
  status: "active",
  version: 3,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
} as Customer;

describe("the profile form", () => {
  it("leaves blank fields out of a new customer", () => {
    expect(toCreateBody({ name: " Li Na ", phone: "", email: "li@example.com", tags: [] })).toEqual(
      { name: "Li Na", email: "li@example.com" },
    );
  });

  it("never puts a masked number in the form", () => {
    const values = toFormValues(customer);
    expect(values.phone).toBeUndefined();
    expect(values.company).toBe("Acme");
  });

  it("sends only what changed, a cleared field as null", () => {
    const values = { ...toFormValues(customer), company: "", title: "CTO", tags: ["loyal", "vip"] };
    expect(toPatchBody(customer, values)).toEqual({
      company: null,
      title: "CTO",
      tags: ["loyal", "vip"],
    });
  });

  it("does not clear a masked phone it never showed", () => {
    expect(toPatchBody(customer, toFormValues(customer))).toEqual({});
    expect(toPatchBody(customer, { ...toFormValues(customer), phone: "13900000000" })).toEqual({
      phone: "13900000000",
    });
  });

  it("sends the mail language only when one is chosen", () => {
    expect(toCreateBody({ name: "Li Na", language: "en" })).toEqual({
      name: "Li Na",
      language: "en",
    });
    expect(toCreateBody({ name: "Li Na", language: undefined })).toEqual({ name: "Li Na" });
  });

  it("sends a changed mail language, and null when it is cleared", () => {
    const values = toFormValues(customer);
    expect(values.language).toBe("en");
    expect(toPatchBody(customer, { ...values, language: "zh-CN" })).toEqual({
      language: "zh-CN",
    });
    expect(toPatchBody(customer, { ...values, language: undefined })).toEqual({ language: null });
    const unset = { ...customer, language: null };
    expect(toPatchBody(unset, toFormValues(unset))).toEqual({});
  });
});
