import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { App } from "antd";
import { describe, expect, it } from "vitest";

import type { Customer } from "../api/customers";
import { EditProfileDrawer } from "./EditProfileDrawer";

const customer = {
  id: "c1",
  member_id: "VIP0000000001",
  name: "Wang Fang",
  email: null,
  phone: "138****0000",
  national_id: null,
  pii_masked: true,
  company: "Acme",
  title: "CTO",
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

describe("EditProfileDrawer", () => {
  it("starts from the customer's values, leaving a masked phone empty", async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <App>
          <EditProfileDrawer
            customer={customer}
            onClose={() => undefined}
            refetch={async () => ({})}
          />
        </App>
      </QueryClientProvider>,
    );
    expect(await screen.findByDisplayValue("CTO")).toBeInTheDocument();
    expect(screen.getByDisplayValue("Wang Fang")).toBeInTheDocument();
    expect(screen.getByLabelText("fields.phone")).toHaveValue("");
    // The customer's mail language is the select's choice.
    expect(screen.getByText("languages.en")).toBeInTheDocument();
  });
});
