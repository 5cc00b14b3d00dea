import { sumDecimals } from '@meridian/finops';

/**
 * Exact sum of decimal strings: finops' `sumDecimals`, which adds plain decimal text in integers
 * (BigInt) and falls back to decimal.js beyond 60 significant digits. Kept under this name for the
 * rollup maintenance that sums each group's raw amounts.
 */
export function exactSum(values: readonly string[]): string {
  return sumDecimals(values);
}
