import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { App } from "antd";
import { MemoryRouter, Route, Routes } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError } from "@/lib/api/problem";

import type { Quote } from "../api/documents";
import { PlaceOrderModal } from "./PlaceOrderModal";

const placed = vi.hoisted(() => ({
  bodies: [] as unknown[],
  answer: (() => Promise.resolve({})) as () => Promise<unknown>,
}));
vi.mock("../api/orders", () => ({
  usePlaceOrder: () => ({
    isPending: false,
    mutateAsync: (body: unknown) => {
      placed.bodies.push(body);
      return placed.answer();
    },
  }),
}));

const totals = {
  subtotal: "100.00",
  discount: "0.00",
  taxable: "100.00",
  tax: "13.00",
  total: "113.00",
};
const quote = {
  quote_id: "quo_1",
  quote_number: "QT-2026-000001",
  version: 3,
  opportunity_id: null,
  customer_id: "cus_1",
  customer_name: "江南纺织",
  owner_id: "u1",
  team: null,
  currency: "CNY",
  status: "accepted",
  current_revision: 1,
  revisions: [
    {
      number: 1,
      lines: [
        {
          product: "排产系统",
          description: null,
          quantity: "1.000",
          unit_price: "100.00",
          discount_percent: "0.00",
        },
      ],
      discount_percent: "0.00",
      tax_rate_percent: "13.00",
      totals,
      created_at: "2026-12-01T08:00:00Z",
    },
  ],
  notes: [],
  created_at: "2026-12-01T08:00:00Z",
  updated_at: "2026-12-01T08:00:00Z",
} as unknown as Quote;

function renderModal() {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <App>
        <MemoryRouter initialEntries={["/sales/quotes/quo_1"]}>
          <Routes>
            <Route
              path="/sales/quotes/:id"
              element={<PlaceOrderModal quote={quote} onClose={() => undefined} />}
            />
            <Route path="/sales/orders/:id" element={<p>order page</p>} />
          </Routes>
        </MemoryRouter>
      </App>
    </QueryClientProvider>,
  );
}

describe("PlaceOrderModal", () => {
  beforeEach(() => {
    placed.bodies = [];
  });

  it("places the accepted revision's order and opens it", async () => {
    placed.answer = () => Promise.resolve({ order_id: "ord_1", order_number: "SO-2026-000001" });
    renderModal();
    expect(screen.getByLabelText("newOrder.quote")).toHaveValue("QT-2026-000001");
    fireEvent.click(screen.getByRole("button", { name: "newOrder.place" }));
    expect(await screen.findByText("order page")).toBeInTheDocument();
    expect(placed.bodies).toEqual([
      expect.objectContaining({
        quote_id: "quo_1",
        customer_id: "cus_1",
        opportunity_id: null,
        tax_rate_percent: "13.00",
      }),
    ]);
  });

  it("says a refused quote beside the quote field", async () => {
    const refused = new ApiError(422, {
      type: "https://crm.example/problems/validation-error",
      status: 422,
      errors: [
        {
          field: "body.quote_id",
          reason: "no quote with this id you may see",
          type: "value_error",
        },
      ],
    });
    placed.answer = () => Promise.reject(refused);
    renderModal();
    fireEvent.click(screen.getByRole("button", { name: "newOrder.place" }));
    const field = screen.getByLabelText("newOrder.quote").closest(".ant-form-item");
    await waitFor(() =>
      expect(field?.querySelector(".ant-form-item-explain-error")).not.toBeNull(),
    );
    expect(screen.queryByText("order page")).toBeNull();
    expect(screen.queryByRole("alert", { name: /errors\./ })).toBeNull();
  });
});
