import { render, screen } from "@testing-library/react";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { beforeAll, describe, expect, it } from "vitest";

import en from "../locales/en.json";
import type { SlaClock } from "../lib/sla";

import { SlaClockText } from "./SlaClockText";

const NOW = Date.parse("2026-01-01T10:00:00Z");

function clock(fields: Partial<SlaClock>): SlaClock {
  return {
    target_seconds: 3600,
    elapsed_seconds: 0,
    running: true,
    due_at: null,
    warn_at: null,
    stopped_at: null,
    warned: false,
    breached: false,
    ...fields,
  };
}

beforeAll(async () => {
  await i18n.use(initReactI18next).init({
    lng: "en",
    resources: { en: { support: en } },
    ns: ["support"],
    defaultNS: "support",
    interpolation: { escapeValue: false },
  });
});

describe("SlaClockText", () => {
  it("counts down the time left", () => {
    render(<SlaClockText clock={clock({ due_at: "2026-01-01T13:12:00Z" })} now={NOW} />);
    expect(screen.getByText("3 h 12 min left")).toBeInTheDocument();
  });

  it("says a breach in words, not by colour alone", () => {
    const { container } = render(
      <SlaClockText clock={clock({ due_at: "2026-01-01T09:55:00Z" })} now={NOW} />,
    );
    expect(screen.getByText("Breached: 5 min overdue")).toBeInTheDocument();
    expect(container.querySelector("[data-sla='breached']")).not.toBeNull();
  });

  it("shows a clock stopped in time as met", () => {
    render(
      <SlaClockText
        clock={clock({ running: false, stopped_at: "2026-01-01T09:00:00Z" })}
        now={NOW}
      />,
    );
    expect(screen.getByText("Met")).toBeInTheDocument();
  });

  it("warns when the deadline is near", () => {
    render(
      <SlaClockText
        clock={clock({ due_at: "2026-01-01T10:10:00Z", warn_at: "2026-01-01T09:58:00Z" })}
        now={NOW}
      />,
    );
    expect(screen.getByText("Due soon: 10 min left")).toBeInTheDocument();
  });
});
