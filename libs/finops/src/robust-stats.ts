import { MoneyDecimal } from './decimal';

/**
 * Order statistics on exact decimals. Forecast and anomaly baselines use medians and MADs rather
 * than means and standard deviations so one spike (a reservation purchase, a backfill) does not
 * move the baseline it is judged against.
 */

/** 1 / Φ⁻¹(3/4): scales a MAD to a standard deviation for normally distributed noise. */
export const MAD_TO_SIGMA = new MoneyDecimal('1.4826');

const ZERO = new MoneyDecimal(0);

export function sortedDecimals(values: readonly MoneyDecimal[]): MoneyDecimal[] {
  return [...values].sort((a, b) => a.comparedTo(b));
}

/** Median; 0 for an empty list (callers check history length before trusting it). */
export function median(values: readonly MoneyDecimal[]): MoneyDecimal {
  if (values.length === 0) return ZERO;
  const s = sortedDecimals(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : s[mid - 1].plus(s[mid]).div(2);
}

/** Median absolute deviation around the median (unscaled). */
export function mad(values: readonly MoneyDecimal[]): MoneyDecimal {
  const m = median(values);
  return median(values.map((v) => v.minus(m).abs()));
}

export function mean(values: readonly MoneyDecimal[]): MoneyDecimal {
  if (values.length === 0) return ZERO;
  return values.reduce((acc, v) => acc.plus(v), ZERO).div(values.length);
}

export function maxDecimal(a: MoneyDecimal, b: MoneyDecimal): MoneyDecimal {
  return a.greaterThanOrEqualTo(b) ? a : b;
}

export function minDecimal(a: MoneyDecimal, b: MoneyDecimal): MoneyDecimal {
  return a.lessThanOrEqualTo(b) ? a : b;
}
