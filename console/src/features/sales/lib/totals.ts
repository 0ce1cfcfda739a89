/**
 * Column sums of the pipeline board. Amounts arrive as decimal strings; they are
 * added as whole cents, so no binary fraction creeps into a total.
 */
export interface Amounts {
  amount: string;
  weighted_amount: string;
}

export interface Totals {
  count: number;
  amount: string;
  weighted: string;
}

export function toCents(value: string | number | null | undefined): number {
  if (value === null || value === undefined || value === "") return 0;
  return Math.round(Number(value) * 100);
}

export function fromCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, "0")}`;
}

export function totalsOf(items: readonly Amounts[]): Totals {
  let amount = 0;
  let weighted = 0;
  for (const item of items) {
    amount += toCents(item.amount);
    weighted += toCents(item.weighted_amount);
  }
  return { count: items.length, amount: fromCents(amount), weighted: fromCents(weighted) };
}
