import { act, fireEvent, render, screen } from "@testing-library/react";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import en from "@/locales/en/common.json";
import zh from "@/locales/zh-CN/common.json";

import { StalledTag } from "./StalledTag";

const NOW = new Date("2026-03-10T12:00:00Z");

beforeAll(async () => {
  await i18n.use(initReactI18next).init({
    lng: "en",
    resources: { en: { common: en }, "zh-CN": { common: zh } },
    defaultNS: "common",
    interpolation: { escapeValue: false },
  });
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});

afterEach(async () => {
  vi.useRealTimers();
  await i18n.changeLanguage("en");
});

describe("StalledTag", () => {
  it("says how many whole days the deal has been stalled", () => {
    render(<StalledTag since="2026-03-07T08:00:00Z" />);
    expect(screen.getByText("Stalled 3 days")).toBeInTheDocument();
  });

  it("says a stall that began today in words, in either language", async () => {
    const { rerender } = render(<StalledTag since="2026-03-10T02:00:00Z" />);
    expect(screen.getByText("Stalled under a day")).toBeInTheDocument();
    await act(() => i18n.changeLanguage("zh-CN"));
    rerender(<StalledTag since="2026-03-01T02:00:00Z" />);
    expect(screen.getByText("停滞 9 天")).toBeInTheDocument();
  });

  it("shows the exact moment when focused from the keyboard", async () => {
    render(<StalledTag since="2026-03-07T08:00:00Z" />);
    const tag = screen.getByText("Stalled 3 days").closest("[tabindex]");
    expect(tag).toHaveAttribute("data-stalled-since", "2026-03-07T08:00:00Z");
    vi.useRealTimers();
    fireEvent.focus(tag as Element);
    const expected = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
    expect(await screen.findByRole("tooltip")).toHaveTextContent(
      `Stalled since ${expected.format(new Date("2026-03-07T08:00:00Z"))}`,
    );
  });
});
