import { dayNumber, fromDayNumber, weekdayOfDayNumber } from './calendar';
import { MoneyDecimal, normalizeDecimal, toDecimal } from './decimal';
import { MAD_TO_SIGMA, mad, maxDecimal, median } from './robust-stats';

export type AnomalySensitivity = 'low' | 'medium' | 'high';

/** Robust z-score a day must reach to be an anomaly. 3.5 is the usual Iglewicz–Hoaglin cut-off. */
export const ANOMALY_THRESHOLDS: Record<AnomalySensitivity, number> = { low: 5, medium: 3.5, high: 2.5 };

/** One day of cost for one key (an account id, or `account|service` — the caller chooses the grain). */
export interface KeyedDailyCost {
  key: string;
  day: string;
  amount: string;
}

export interface AnomalyOptions {
  /** First and last day to judge (both included). Only pass complete days: a day still syncing looks like a drop. */
  from: string;
  to: string;
  sensitivity?: AnomalySensitivity;
  /** Trailing baseline length in days. Default 60. */
  baselineDays?: number;
  /** A day is judged only when at least this many baseline days are known. Default 28. */
  minHistoryDays?: number;
  /**
   * First day from which the data is complete for every key; a key without rows on a later day had
   * no cost that day (this is what makes a newly appearing service stand out). Default: the
   * earliest day in `rows`.
   */
  dataStart?: string;
  /** |actual − expected| must be at least this (currency units), so cents never alert. Default '10'. */
  minAbsoluteDelta?: string;
  /** Floor on the MAD in currency units, so a perfectly flat series does not make every cent a 50-sigma event. Default '1'. */
  madFloor?: string;
  /** Floor on the MAD as a fraction of the expected value. Default '0.05'. */
  madFloorRatio?: string;
  /** 'up' ignores drops. Default 'both'. */
  directions?: 'both' | 'up';
  /** Compare with the same weekday (default) or with every day. */
  seasonality?: 'weekday' | 'none';
}

export interface CostAnomaly {
  key: string;
  day: string;
  /** Baseline value for that day (median of the same weekday over the baseline). */
  expected: string;
  actual: string;
  /** actual − expected. */
  delta: string;
  /** Robust z-score: delta / (1.4826 × MAD × small-sample factor), 2 places. */
  score: number;
  direction: 'up' | 'down';
  /** 'new': the key had no cost at all in its baseline. */
  kind: 'spike' | 'drop' | 'new';
  /** First day of the run of consecutive anomalous days in this direction (one alert per run). */
  runStart: string;
}

const ZERO = new MoneyDecimal(0);
const ONE = new MoneyDecimal(1);
const HALF_PI = new MoneyDecimal('1.5708');

/**
 * Flags days whose cost departs from the key's trailing baseline.
 *
 * For each key and day d in [from, to]: the baseline is the known days in the 60 days before d.
 * Expected = median of the baseline days on d's weekday (weekly seasonality: Monday is compared
 * with Mondays). Spread = MAD of every baseline day's residual from its own weekday median, pooled
 * over the weekdays so ~60 residuals, not ~8, estimate it; taken both in currency and relative to
 * the weekday median (scaled by the expected value), whichever is larger. score = (actual − expected) /
 * (1.4826 × max(MAD, madFloor, madFloorRatio × |expected|) × √(1 + π/2k)), k = same-weekday days seen. A day is an anomaly when |score| reaches
 * the sensitivity threshold and |actual − expected| ≥ minAbsoluteDelta. Medians ignore past
 * spikes, so one incident does not hide the next.
 */
export function detectAnomalies(rows: readonly KeyedDailyCost[], options: AnomalyOptions): CostAnomaly[] {
  const threshold = ANOMALY_THRESHOLDS[options.sensitivity ?? 'medium'];
  const baselineDays = options.baselineDays ?? 60;
  const minHistory = options.minHistoryDays ?? 28;
  const minDelta = toDecimal(options.minAbsoluteDelta ?? '10');
  const madFloor = toDecimal(options.madFloor ?? '1');
  const madFloorRatio = toDecimal(options.madFloorRatio ?? '0.05');
  const weekly = (options.seasonality ?? 'weekday') === 'weekday';
  const fromN = dayNumber(options.from);
  const toN = dayNumber(options.to);

  const series = new Map<string, Map<number, MoneyDecimal>>();
  let earliest = Number.POSITIVE_INFINITY;
  for (const r of rows) {
    const n = dayNumber(r.day);
    earliest = Math.min(earliest, n);
    let byDay = series.get(r.key);
    if (!byDay) series.set(r.key, (byDay = new Map()));
    byDay.set(n, (byDay.get(n) ?? ZERO).plus(toDecimal(r.amount)));
  }
  const dataStartN = options.dataStart ? dayNumber(options.dataStart) : earliest;

  const out: CostAnomaly[] = [];
  for (const key of [...series.keys()].sort()) {
    const byDay = series.get(key) as Map<number, MoneyDecimal>;
    const at = (n: number) => byDay.get(n) ?? ZERO;
    let run: { start: number; direction: 'up' | 'down'; last: number } | undefined;

    for (let d = fromN; d <= toN; d++) {
      const baseline: number[] = [];
      for (let n = Math.max(dataStartN, d - baselineDays); n < d; n++) baseline.push(n);
      if (baseline.length < minHistory) continue;

      const groupOf = (n: number) => (weekly ? weekdayOfDayNumber(n) : 0);
      const medians = new Map<number, MoneyDecimal>();
      for (const g of new Set(baseline.map(groupOf))) medians.set(g, median(baseline.filter((n) => groupOf(n) === g).map(at)));
      const expected = medians.get(groupOf(d)) ?? ZERO;
      // Cost noise is mostly proportional to the level (weekdays swing more than quiet weekends), so
      // the spread is measured both in currency and relative to each weekday's median, and the
      // larger of the two is used: a quiet weekend never makes a busy Monday look abnormal.
      const residuals = baseline.map((n) => at(n).minus(medians.get(groupOf(n)) as MoneyDecimal));
      const relative = baseline
        .filter((n) => !(medians.get(groupOf(n)) as MoneyDecimal).isZero())
        .map((n) =>
          at(n)
            .div((medians.get(groupOf(n)) as MoneyDecimal).abs())
            .minus(1),
        );
      const spread = maxDecimal(mad(residuals), relative.length ? mad(relative).times(expected.abs()) : ZERO);
      // The expected value is itself a median of k same-weekday days, with variance ≈ π/2 · σ²/k; the
      // prediction error therefore has sd σ·√(1 + π/2k), not σ. Without this, ~8-point medians alert too often.
      const k = baseline.filter((n) => groupOf(n) === groupOf(d)).length;
      const scale = MAD_TO_SIGMA.times(maxDecimal(maxDecimal(spread, madFloor), madFloorRatio.times(expected.abs()))).times(
        ONE.plus(HALF_PI.div(k)).sqrt(),
      );

      const actual = at(d);
      const delta = actual.minus(expected);
      const score = delta.div(scale);
      const direction = delta.isNegative() ? 'down' : 'up';
      const flagged =
        score.abs().greaterThanOrEqualTo(threshold) &&
        delta.abs().greaterThanOrEqualTo(minDelta) &&
        (direction === 'up' || options.directions !== 'up');
      if (!flagged) continue;

      if (!run || run.direction !== direction || run.last !== d - 1) run = { start: d, direction, last: d };
      run.last = d;
      const neverBefore = baseline.every((n) => at(n).isZero());
      out.push({
        key,
        day: fromDayNumber(d),
        expected: normalizeDecimal(expected),
        actual: normalizeDecimal(actual),
        delta: normalizeDecimal(delta),
        score: Number(score.toDecimalPlaces(2).toFixed(2)),
        direction,
        kind: neverBefore && direction === 'up' ? 'new' : direction === 'up' ? 'spike' : 'drop',
        runStart: fromDayNumber(run.start),
      });
    }
  }
  return out;
}
