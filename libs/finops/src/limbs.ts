import { MoneyDecimal, toDecimal } from './decimal';

/**
 * Exact decimal sums with plain integer SUM(): a decimal is split into three integer "limbs",
 *   value = l0 / 10^6 + l1 / 10^15 + l2 / 10^24,   l0 = floor(value · 10^6), 0 ≤ l1, l2 < 10^9.
 * Both SQLite and PostgreSQL add 64-bit integers exactly, so a rollup table that stores limbs can
 * be summed in SQL at any volume and recombined here without one binary float
 * (docs/decisions/0008-daily-rollups.md). Each limb sum stays far below 2^63 for
 * anything under ~10^9 rollup rows of amounts under ~10^12.
 */
export const LIMB_SCALES = [6, 15, 24] as const;
const E6 = new MoneyDecimal(10).pow(6);
const E9 = new MoneyDecimal(10).pow(9);

export type Limbs = [string, string, string];

/**
 * Limbs of a decimal. Digits beyond the 24th decimal place are floored away (PostgreSQL's limb SQL
 * does the same): a rollup cell is exact to 10^-24, far below any currency's smallest unit.
 */
export function toLimbs(value: string | MoneyDecimal): Limbs {
  const d = (typeof value === 'string' ? toDecimal(value) : value).toDecimalPlaces(24, MoneyDecimal.ROUND_FLOOR);
  const scaled = d.times(E6);
  const l0 = scaled.floor();
  const rest = scaled.minus(l0).times(E9);
  const l1 = rest.floor();
  const l2 = rest.minus(l1).times(E9);
  return [l0.toFixed(0), l1.toFixed(0), l2.toFixed(0)];
}

const E9N = 1_000_000_000n;
const E18N = E9N * E9N;
const INTEGER = /^-?\d+$/;

/**
 * Recombines limb sums (as SQL returns them: integer text, or null for an empty group). In integers:
 * l0·10^18 + l1·10^9 + l2 counts units of 10^-24, so the sum is exact without decimal division —
 * this runs once per cell of every rollup read, on the event loop.
 */
export function fromLimbSums(l0: string | number | null, l1: string | number | null, l2: string | number | null): string {
  const units = limbInteger(l0) * E18N + limbInteger(l1) * E9N + limbInteger(l2);
  if (units === 0n) return '0';
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(25, '0');
  const int = digits.slice(0, -24).replace(/^0+(?=\d)/, '');
  const frac = digits.slice(-24).replace(/0+$/, '');
  return (negative ? '-' : '') + int + (frac ? `.${frac}` : '');
}

function limbInteger(v: string | number | null): bigint {
  if (v === null) return 0n;
  const text = String(v);
  // SQLite may hand a small sum as a JS number; a limb sum is always an integer.
  if (!INTEGER.test(text)) throw new Error(`not an integer limb sum: ${JSON.stringify(v)}`);
  return BigInt(text);
}

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const B_E9 = 10n ** 9n;
const B_E18 = 10n ** 18n;

/**
 * floor(value · 10^24) as a BigInt: the unit in which pre-aggregates add amounts in memory (two
 * BigInt additions per group and row instead of six limb additions), split into limbs only when a
 * group is written (`limbsOfScaled`). Same flooring as `toLimbs`: limbsOfScaled(scaledBy1e24(v))
 * equals toLimbs(v).
 */
export function scaledBy1e24(value: string): bigint {
  const m = PLAIN_DECIMAL.exec(value);
  if (!m) {
    const [l0, l1, l2] = toLimbs(value);
    return BigInt(l0) * B_E18 + BigInt(l1) * B_E9 + BigInt(l2);
  }
  const frac = m[3] ?? '';
  const magnitude = BigInt(m[2] + (frac.length <= 24 ? frac.padEnd(24, '0') : frac.slice(0, 24)));
  if (m[1] !== '-') return magnitude;
  // Floor, not truncation, for a negative value with digits beyond the 24th place.
  return frac.length > 24 && /[1-9]/.test(frac.slice(24)) ? -magnitude - 1n : -magnitude;
}

/** The limbs (l0, l1, l2) of floor(value · 10^24), with 0 ≤ l1, l2 < 10^9 as `toLimbs` gives them. */
export function limbsOfScaled(scaled: bigint): [bigint, bigint, bigint] {
  let l0 = scaled / B_E18;
  if (scaled % B_E18 < 0n) l0 -= 1n;
  const rest = scaled - l0 * B_E18;
  return [l0, rest / B_E9, rest % B_E9];
}

const LIMB_BASE = 1_000_000_000;

/**
 * The limbs of floor(value · 10^24) as JS numbers, as `toLimbs` gives them (0 ≤ l1, l2 < 10^9): what
 * the pre-aggregates add per row in memory (six number additions instead of BigInt arithmetic and
 * its garbage). Exact while every sum stays a safe integer, which the caller checks. `undefined`
 * for a value whose l0 could not be a safe integer (|value| ≥ 10^9) or that is not plain decimal
 * notation: the caller takes the BigInt path (`scaledBy1e24`) for it.
 */
export function limbNumbers(value: string): [number, number, number] | undefined {
  const m = PLAIN_DECIMAL.exec(value);
  if (!m || m[2].length > 9) return undefined;
  const frac = m[3] ?? '';
  const f = frac.length >= 24 ? frac.slice(0, 24) : frac.padEnd(24, '0');
  const a0 = Number(m[2]) * 1e6 + Number(f.slice(0, 6));
  const a1 = Number(f.slice(6, 15));
  let a2 = Number(f.slice(15, 24));
  if (m[1] !== '-') return [a0, a1, a2];
  // Floor, not truncation: digits beyond the 24th place make a negative value one unit smaller.
  if (frac.length > 24 && /[1-9]/.test(frac.slice(24))) a2 += 1;
  return normalizedLimbNumbers(-a0, -a1, -a2);
}

/**
 * Limb sums (safe integers, any sign) carried into the form `toLimbs` gives: 0 ≤ l1, l2 < 10^9 and
 * the same l0·10^18 + l1·10^9 + l2. Throws when l0 leaves the safe integers (never rounds).
 */
export function normalizedLimbNumbers(s0: number, s1: number, s2: number): [number, number, number] {
  const [r2, c2] = carry(s2);
  const [r1, c1] = carry(s1 + c2);
  const l0 = s0 + c1;
  if (!Number.isSafeInteger(l0) || !Number.isSafeInteger(s1 + c2)) throw new RangeError(`limb sum out of the exact range: ${s0}, ${s1}, ${s2}`);
  // + 0 turns a -0 into 0.
  return [l0 + 0, r1 + 0, r2 + 0];
}

/** low = r + c·10^9 with 0 ≤ r < 10^9 (the division may round; the remainder corrects it). */
function carry(low: number): [number, number] {
  let c = Math.floor(low / LIMB_BASE);
  let r = low - c * LIMB_BASE;
  if (r < 0) {
    r += LIMB_BASE;
    c -= 1;
  } else if (r >= LIMB_BASE) {
    r -= LIMB_BASE;
    c += 1;
  }
  return [r, c];
}

/** floor(value · 10^24) of limb numbers (any carry state), for the BigInt path. */
export function scaledOfLimbNumbers(l0: number, l1: number, l2: number): bigint {
  return BigInt(l0) * B_E18 + BigInt(l1) * B_E9 + BigInt(l2);
}
