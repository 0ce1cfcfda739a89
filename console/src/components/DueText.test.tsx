import { render, screen } from "@testing-library/react";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { beforeAll, describe, expect, it } from "vitest";

import en from "@/locales/en/common.json";

import { DueText } from "./DueText";

beforeAll(async () => {
  await i18n.use(initReactI18next).init({
    lng: "en",
    resources: { en: { common: en } },
    defaultNS: "common",
    interpolation: { escapeValue: false },
  });
});

describe("DueText", () => {
  it("shows a date not yet due plainly", () => {
    const { container } = render(<DueText value="2026-03-20" overdue={false} />);
    expect(container.querySelector("time")).toHaveAttribute("datetime", "2026-03-20");
    expect(container.querySelector("[data-overdue]")).toBeNull();
    expect(screen.queryByText("Overdue")).toBeNull();
  });

  it("says overdue in words and with an icon, not by colour alone", () => {
    const { container } = render(<DueText value="2026-03-01T09:00:00Z" overdue withTime />);
    const marked = container.querySelector("[data-overdue='true']");
    expect(marked).not.toBeNull();
    expect(screen.getByText("Overdue")).toBeInTheDocument();
    // The icon is there for the eye; the words are what a screen reader says.
    expect(marked?.querySelector("[role='img']")).toHaveAttribute("aria-hidden", "true");
    expect(container.querySelector("time")).toHaveAttribute("datetime", "2026-03-01T09:00:00Z");
  });

  it("counts the days overdue when given", () => {
    render(<DueText value="2026-03-01" overdue days={5} />);
    expect(screen.getByText("5 days overdue")).toBeInTheDocument();
  });
});
