import { render, screen } from "@testing-library/react";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";

import en from "../locales/en.json";

import { CustomerLink } from "./CustomerLink";

beforeAll(async () => {
  await i18n.use(initReactI18next).init({
    lng: "en",
    resources: { en: { sales: en } },
    ns: ["sales"],
    defaultNS: "sales",
    interpolation: { escapeValue: false },
  });
});

describe("CustomerLink", () => {
  it("names the customer and links to its page", () => {
    render(
      <MemoryRouter>
        <CustomerLink customerId="c-42" name="华北机械" />
      </MemoryRouter>,
    );
    expect(screen.getByRole("link", { name: "华北机械" })).toHaveAttribute(
      "href",
      "/customers/c-42",
    );
  });

  it("says the customer is erased or unknown instead of showing its id", () => {
    render(
      <MemoryRouter>
        <CustomerLink customerId="c-42" name={null} />
      </MemoryRouter>,
    );
    expect(screen.getByText("Erased or unknown customer")).toBeInTheDocument();
    expect(screen.queryByRole("link")).toBeNull();
    expect(screen.queryByText("c-42")).toBeNull();
  });
});
