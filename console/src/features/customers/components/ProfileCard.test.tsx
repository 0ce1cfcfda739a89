import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import type { Customer } from "../api/customers";
import { ProfileCard } from "./ProfileCard";

vi.mock("@/lib/auth/SessionProvider", () => ({
  useSession: () => ({ me: { subject: "u1", kind: "user", roles: [], permissions: [] } }),
}));

const customer = {
  id: "c1",
  member_id: "VIP0000000001",
  name: "Wang Fang",
  email: null,
  phone: "138****0000",
  national_id: null,
  pii_masked: true,
  company: null,
  title: null,
  industry: null,
  company_size: null,
  region: null,
  address: null,
  source_channel: null,
  owner_id: "u1",
  team: null,
  language: "en",
  tags: [],
  custom_fields: {},
  tier: "normal",
  consumption: { total_consumption: "0.00", last_consumption_at: null, purchases_last_year: 0 },
  value: { recency: 1, frequency: 1, monetary: 1, score: 0, segments: [] },
  status: "active",
  version: 2,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
} as Customer;

/** The text beside a label in the profile's description list. */
function shownFor(label: string): string | null | undefined {
  const item = screen.getByText(label).closest(".ant-descriptions-item");
  return item?.querySelector(".ant-descriptions-item-content")?.textContent;
}

describe("ProfileCard", () => {
  it("shows the language mail to the customer is written in", () => {
    render(<ProfileCard customer={customer} />);
    expect(shownFor("fields.language")).toBe("languages.en");
  });

  it("says when no mail language is set (Chinese is used)", () => {
    render(<ProfileCard customer={{ ...customer, language: null }} />);
    expect(shownFor("fields.language")).toBe("languages.default");
  });
});
