/** Dates, numbers and money (CNY) in the reader's language. Amounts arrive from the
 * API as decimal strings; they are formatted, never summed, here. */
import { useTranslation } from "react-i18next";

export interface Formatters {
  money: (amount: string | number | null | undefined, currency?: string) => string;
  number: (value: number | null | undefined, fractionDigits?: number) => string;
  percent: (ratio: number | null | undefined, fractionDigits?: number) => string;
  date: (value: string | Date | null | undefined) => string;
  dateTime: (value: string | Date | null | undefined) => string;
  relative: (value: string | Date | null | undefined) => string;
}

const EMPTY = "—";

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

export function formatters(language: string): Formatters {
  const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: "medium" });
  const dateTimeFormat = new Intl.DateTimeFormat(language, {
    dateStyle: "medium",
    timeStyle: "short",
  });
  const relativeFormat = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  return {
    money: (amount, currency = "CNY") =>
      amount === null || amount === undefined || amount === ""
        ? EMPTY
        : new Intl.NumberFormat(language, { style: "currency", currency }).format(Number(amount)),
    number: (value, fractionDigits = 0) =>
      value === null || value === undefined
        ? EMPTY
        : new Intl.NumberFormat(language, { maximumFractionDigits: fractionDigits }).format(value),
    percent: (ratio, fractionDigits = 1) =>
      ratio === null || ratio === undefined
        ? EMPTY
        : new Intl.NumberFormat(language, {
            style: "percent",
            maximumFractionDigits: fractionDigits,
          }).format(ratio),
    date: (value) => (value ? dateFormat.format(toDate(value)) : EMPTY),
    dateTime: (value) => (value ? dateTimeFormat.format(toDate(value)) : EMPTY),
    relative: (value) => {
      if (!value) return EMPTY;
      const seconds = (toDate(value).getTime() - Date.now()) / 1000;
      const units: [Intl.RelativeTimeFormatUnit, number][] = [
        ["day", 86400],
        ["hour", 3600],
        ["minute", 60],
      ];
      for (const [unit, size] of units) {
        if (Math.abs(seconds) >= size)
          return relativeFormat.format(Math.round(seconds / size), unit);
      }
      return relativeFormat.format(Math.round(seconds), "second");
    },
  };
}

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return formatters(i18n.language);
}
