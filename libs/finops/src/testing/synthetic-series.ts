import { addDays, weekday } from '../calendar';
import type { DailyCost } from '../forecast';

/**
 * Deterministic synthetic cost series for specs and backtests. Randomness comes from a seeded
 * PRNG so every run sees the same numbers; floats are used only to generate the inputs, which
 * enter the library as 2-place decimal strings like real billing data.
 */

/** mulberry32: small, fast, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller) from a uniform source. */
export function gaussian(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), Number.EPSILON);
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Typical CSP shape: weekdays at full level, weekends at 40 % (dev/test shut down). Index 0 = Sunday. */
export const OFFICE_WEEK = [0.4, 1, 1, 1, 1, 1, 0.4] as const;

export interface SyntheticSeriesOptions {
  start: string;
  days: number;
  /** Weekday level at day 0. */
  base: number;
  seed?: number;
  /** Multiplicative weekday profile, index 0 = Sunday. Default flat. */
  weekdayFactors?: readonly number[];
  /** Linear growth per day as a fraction of `base` (0.002 = +0.2 % of base per day). */
  trendPerDay?: number;
  /** Relative noise: standard deviation as a fraction of the expected value. */
  noise?: number;
}

export function syntheticDailyCosts(o: SyntheticSeriesOptions): DailyCost[] {
  const normal = gaussian(seededRandom(o.seed ?? 1));
  const factors = o.weekdayFactors ?? [1, 1, 1, 1, 1, 1, 1];
  return Array.from({ length: o.days }, (_, t) => {
    const day = addDays(o.start, t);
    const expected = o.base * (1 + (o.trendPerDay ?? 0) * t) * factors[weekday(day)];
    const value = Math.max(0, expected * (1 + (o.noise ?? 0) * normal()));
    return { day, amount: value.toFixed(2) };
  });
}
