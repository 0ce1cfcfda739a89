/**
 * Exact sums of the API's decimal strings ("1234.50"), for a total the API gives per
 * row only (a rep's pipeline per quarter, a column of the pipeline board). Scaled
 * integers, never floats.
 */
const SCALE = 4;

function scaled(amount: string): bigint {
  const text = amount.trim();
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = text.replace(/^[-+]/, "").split(".");
  const digits = `${whole || "0"}${fraction.padEnd(SCALE, "0").slice(0, SCALE)}`;
  const value = BigInt(digits);
  return negative ? -value : value;
}

/** The exact sum of decimal strings, as a decimal string with up to 4 places. */
export function sumDecimals(amounts: Iterable<string>): string {
  let total = 0n;
  for (const amount of amounts) total += scaled(amount);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(SCALE + 1, "0");
  const whole = digits.slice(0, -SCALE);
  const fraction = digits.slice(-SCALE).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}
