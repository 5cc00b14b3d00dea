import Decimal from 'decimal.js';

/**
 * Decimal arithmetic for money. decimal.js defaults to 20 significant digits, which is not enough
 * for sums of amounts that carry 8+ decimals (Partner Center sends up to ~20), so Meridian uses its
 * own clone with room for 60 significant digits and no exponent notation in strings.
 */
export const MoneyDecimal = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -60, toExpPos: 60 });
export type MoneyDecimal = InstanceType<typeof MoneyDecimal>;

const DECIMAL_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True when `value` is a finite decimal literal (what Partner Center and the store hold). */
export function isDecimalString(value: string): boolean {
  return DECIMAL_PATTERN.test(value.trim());
}

/** Parses a decimal literal exactly; throws on anything else (never silently 0). */
export function toDecimal(value: string): MoneyDecimal {
  if (!isDecimalString(value)) throw new Error(`not a decimal number: ${JSON.stringify(value)}`);
  return new MoneyDecimal(value.trim());
}

/**
 * Text normalizeDecimal gives back unchanged (decimal.js keeps every digit of a parsed value): no
 * sign but a minus, no leading zeros, no trailing fraction zeros, no exponent, not "-0".
 */
const CANONICAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** True when `value` is already in normalizeDecimal's form (checked without building a decimal). */
export function isCanonicalDecimal(value: string): boolean {
  return CANONICAL.test(value) && value !== '-0';
}

/** Canonical text of a decimal: no exponent, no trailing zeros, "0" for zero ("-0" never appears). */
export function normalizeDecimal(value: string | MoneyDecimal): string {
  // Canonical text comes back as it is: dashboards normalise every cell of big results on the event loop.
  if (typeof value === 'string' && isCanonicalDecimal(value)) return value;
  const d = typeof value === 'string' ? toDecimal(value) : value;
  if (d.isZero()) return '0';
  return d.toFixed();
}

/** Exact sum of decimal strings. */
export function sumDecimals(values: Iterable<string>): string {
  let total: MoneyDecimal | undefined;
  let only: string | undefined;
  let count = 0;
  for (const v of values) {
    count++;
    if (count === 1) {
      only = v;
      continue;
    }
    total = (total ?? toDecimal(only!)).plus(toDecimal(v));
  }
  if (count === 0) return '0';
  // One value (an aggregate already summed by the database or a read thread): no arithmetic needed.
  if (count === 1) return normalizeDecimal(only!);
  return normalizeDecimal(total!);
}

/** Rounds half-even to `places` decimals and always prints them ("12.30"). */
export function roundDecimal(value: string, places: number): string {
  return toDecimal(value).toDecimalPlaces(places, MoneyDecimal.ROUND_HALF_EVEN).toFixed(places);
}
