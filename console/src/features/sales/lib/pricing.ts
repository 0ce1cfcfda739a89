/**
 * The sales service's pricing rule (services/sales domain/pricing.py), for the amounts
 * a quote or order shows per line and for the totals of a revision being written.
 * Each line is quantity × unit price less its discount, rounded to cents; the
 * document discount applies to the sum of the lines; tax to what remains. Rounding is
 * half-up at each of those points, in exact scaled integers: the figures equal the
 * API's, which stays the authority for every stored total.
 */

export interface PricedLine {
  quantity: string | number;
  unit_price: string | number;
  discount_percent?: string | number | null;
}

export interface Pricing {
  subtotal: string;
  discount: string;
  taxable: string;
  tax: string;
  total: string;
}

/** A decimal (string or number) as an integer in units of 10^-places, half-up beyond. */
export function scaled(value: string | number | null | undefined, places: number): bigint {
  if (value === null || value === undefined || value === "") return 0n;
  const text = typeof value === "number" ? value.toFixed(places + 2) : value.trim();
  if (!/^-?\d*(\.\d*)?$/.test(text) || text === "-" || text === ".") return 0n;
  const negative = text.startsWith("-");
  const [whole = "", fraction = ""] = text.replace(/^-/, "").split(".");
  const kept = BigInt(`${whole || "0"}${fraction.padEnd(places, "0").slice(0, places)}`);
  const roundUp = (fraction[places] ?? "0") >= "5" ? 1n : 0n;
  const magnitude = kept + roundUp;
  return negative ? -magnitude : magnitude;
}

/** numerator / denominator rounded half away from zero (both non-negative here). */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** Cents as a decimal string with two places ("1234.50"). */
export function centsText(cents: bigint): string {
  const negative = cents < 0n;
  const digits = (negative ? -cents : cents).toString().padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** A line's amount in cents: quantity (3 places) × unit price (2) × (100 − discount %). */
export function lineCents(line: PricedLine): bigint {
  const quantity = scaled(line.quantity, 3);
  const price = scaled(line.unit_price, 2);
  const keep = 10000n - scaled(line.discount_percent ?? 0, 2);
  return divideHalfUp(quantity * price * keep, 1000n * 10000n);
}

export function lineAmount(line: PricedLine): string {
  return centsText(lineCents(line));
}

/** The totals of lines under a document discount and a tax rate (percent). */
export function price(
  lines: readonly PricedLine[],
  discountPercent: string | number | null | undefined,
  taxRatePercent: string | number | null | undefined,
): Pricing {
  const subtotal = lines.reduce((sum, line) => sum + lineCents(line), 0n);
  const discount = divideHalfUp(subtotal * scaled(discountPercent ?? 0, 2), 10000n);
  const taxable = subtotal - discount;
  const tax = divideHalfUp(taxable * scaled(taxRatePercent ?? 0, 2), 10000n);
  return {
    subtotal: centsText(subtotal),
    discount: centsText(discount),
    taxable: centsText(taxable),
    tax: centsText(tax),
    total: centsText(taxable + tax),
  };
}
