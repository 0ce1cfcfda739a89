import { fireEvent, render, screen } from "@testing-library/react";
import i18n from "i18next";
import { useState } from "react";
import { initReactI18next } from "react-i18next";
import { beforeAll, describe, expect, it } from "vitest";

import en from "../locales/en.json";

import { DueAtField } from "./DueAtField";

beforeAll(async () => {
  await i18n.use(initReactI18next).init({
    lng: "en",
    resources: { en: { sales: en } },
    ns: ["sales"],
    defaultNS: "sales",
    interpolation: { escapeValue: false },
  });
});

function Field({ initial = "" }: { initial?: string }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <label htmlFor="due">Due</label>
      <DueAtField id="due" value={value} onChange={setValue} />
    </>
  );
}

describe("DueAtField", () => {
  it("shows a typed time in one form once the field is left", () => {
    render(<Field />);
    const input = screen.getByLabelText("Due");
    fireEvent.change(input, { target: { value: "2026/12/8 9:05" } });
    fireEvent.blur(input);
    expect(input).toHaveValue("2026-12-08 09:05");
  });

  it("does the same on Enter", () => {
    render(<Field />);
    const input = screen.getByLabelText("Due");
    fireEvent.change(input, { target: { value: "2026年12月8日 10:00" } });
    fireEvent.keyDown(input, { key: "Enter", code: "Enter", keyCode: 13 });
    expect(input).toHaveValue("2026-12-08 10:00");
  });

  it("keeps what does not read as a time as it was typed, for the form to refuse", () => {
    render(<Field />);
    const input = screen.getByLabelText("Due");
    fireEvent.change(input, { target: { value: "next tuesday" } });
    fireEvent.blur(input);
    expect(input).toHaveValue("next tuesday");
  });

  it("offers the calendar by name", () => {
    render(<Field initial="2026-12-08 10:00" />);
    expect(screen.getByRole("button", { name: "Pick a day on the calendar" })).toBeVisible();
  });
});
