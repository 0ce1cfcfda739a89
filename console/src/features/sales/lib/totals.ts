/**
 * Column sums of the pipeline board. Amounts arrive as decimal strings and are added
 * exactly (the shared decimal sum), so no binary fraction creeps into a total.
 */
import { sumDecimals } from "@/lib/decimal";

export interface Amounts {
  amount: string;
  weighted_amount: string;
}

export interface Totals {
  count: number;
  amount: string;
  weighted: string;
}

export function totalsOf(items: readonly Amounts[]): Totals {
  return {
    count: items.length,
    amount: sumDecimals(items.map((item) => item.amount)),
    weighted: sumDecimals(items.map((item) => item.weighted_amount)),
  };
}
