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
  const list = Array.isArray(values) ? (values as readonly string[]) : [...values];
  if (list.length === 0) return '0';
  // One value (an aggregate already summed by the database or a read thread): no arithmetic needed.
  if (list.length === 1) return normalizeDecimal(list[0]);
  return plainDecimalSum(list) ?? decimalSum(list);
}

function decimalSum(values: readonly string[]): string {
  let total = new MoneyDecimal(0);
  for (const v of values) total = total.plus(toDecimal(v));
  return normalizeDecimal(total);
}

/** Plain decimal text (what the store holds): optional minus, digits, optional fraction. */
const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * The same sum in integers (BigInt at the largest scale of the inputs), several times cheaper than
 * decimal.js — sums of big results run on the event loop. Undefined, for decimal.js to do it, when
 * a value is not plain text or a partial sum could need more than MoneyDecimal's 60 significant
 * digits (where decimal.js would round).
 */
function plainDecimalSum(values: readonly string[]): string | undefined {
  let scale = 0;
  let intDigits = 0;
  for (const v of values) {
    const m = PLAIN.exec(v);
    if (!m) return undefined;
    if (m[3] && m[3].length > scale) scale = m[3].length;
    if (m[2].length > intDigits) intDigits = m[2].length;
  }
  // Every partial sum is below count × 10^intDigits in magnitude.
  if (intDigits + String(values.length).length + scale > MoneyDecimal.precision) return undefined;
  let total = 0n;
  for (const v of values) {
    const m = PLAIN.exec(v)!;
    const frac = m[3] ?? '';
    const n = BigInt(m[2] + frac + '0'.repeat(scale - frac.length));
    total += m[1] === '-' ? -n : n;
  }
  if (total === 0n) return '0';
  const negative = total < 0n;
  let text = (negative ? -total : total).toString();
  if (text.length <= scale) text = '0'.repeat(scale - text.length + 1) + text;
  const int = text.slice(0, text.length - scale);
  const frac = text.slice(text.length - scale).replace(/0+$/, '');
  return (negative ? '-' : '') + int + (frac ? `.${frac}` : '');
}

/** Rounds half-even to `places` decimals and always prints them ("12.30"). */
export function roundDecimal(value: string, places: number): string {
  return toDecimal(value).toDecimalPlaces(places, MoneyDecimal.ROUND_HALF_EVEN).toFixed(places);
}
