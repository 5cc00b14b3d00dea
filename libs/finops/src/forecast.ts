import { addMonths, dayNumber, firstDayOfMonth, fromDayNumber, lastDayOfMonth, monthOf, weekdayOfDayNumber } from './calendar';
import { MoneyDecimal, toDecimal } from './decimal';
import { MAD_TO_SIGMA, mad, maxDecimal, mean, median } from './robust-stats';

/** One day of cost in one currency. Several entries for the same day are added together. */
export interface DailyCost {
  day: string;
  amount: string;
}

export interface ForecastOptions {
  /** Per-day damping of the trend beyond `asOf` (0 = no trend, 1 = straight line). Default 0.98. */
  damping?: string;
  /** How many trailing weeks feed the trend (Theil–Sen over weekly means). Default 8. */
  trendWeeks?: number;
}

/** A forecast total with its 80 % band (p10 … p90), all rounded to 2 places. */
export interface PeriodForecast {
  month: string;
  total: string;
  p10: string;
  p90: string;
}

export interface MonthEndForecast extends PeriodForecast {
  actualToDate: string;
  predictedRest: string;
  daysElapsed: number;
  daysRemaining: number;
}

export interface CostForecast {
  asOf: string;
  method: 'weekday-profile-damped-theil-sen';
  /** Days of history the model saw (from the first day in the series up to `asOf`). */
  historyDays: number;
  monthEnd: MonthEndForecast;
  /** The three calendar months after the month of `asOf`. */
  nextMonths: PeriodForecast[];
}

const ZERO = new MoneyDecimal(0);
const ONE = new MoneyDecimal(1);
/** Φ⁻¹(0.9): half-width of an 80 % normal band in standard deviations. */
const Z_P90 = new MoneyDecimal('1.2816');
/** Values further than this many robust sigmas from their weekday's median are clipped before averaging. */
const CLIP_SIGMAS = new MoneyDecimal(5);
const PROFILE_DAYS = 28;
const LEVEL_WEEKS = 3;

/**
 * Forecast of month-end cost and the next three calendar months, from a daily cost series.
 *
 * Method (see libs/finops/FORECAST.md):
 * 1. History is the dense day series from the first day in `series` to `asOf` (missing days are 0:
 *    a day without rows is a day without cost).
 * 2. Weekday profile: over the trailing 28 days (or the whole weeks available), each day is clipped
 *    to its weekday median ± 5 robust sigmas, then factor(weekday) = weekday mean / overall mean.
 *    Cloud cost is strongly weekly (dev/test shut down at weekends), and a multiplicative profile
 *    keeps its shape when the level moves.
 * 3. Trend: Theil–Sen slope (median of pairwise slopes) over the means of up to 8 trailing whole
 *    weeks. Weekly means cancel the weekday pattern; the median ignores a single odd week and a
 *    one-off step change does not become a permanent slope.
 * 4. Level at `asOf`: median of the last 3 weekly means, each projected to `asOf` along the slope.
 * 5. Day h after `asOf`: (level + slope × Σ_{i=1..h} damping^i) × factor(weekday), floored at 0 when
 *    the history is not net-negative. Damping (0.98/day) keeps a trend from running away over 3 months.
 * 6. Band: residuals of the fit over the last 28 days give a robust daily sigma σ (1.4826 × MAD); the
 *    spread of the projected weekly levels gives a level sigma σL. A sum over n future days gets
 *    sd = √(n σ² + (n σL)²) and p10/p90 = total ∓ 1.2816 sd (never below what is already spent).
 * All amounts are exact decimals; outputs are rounded half-even to 2 places.
 */
export function forecastCosts(series: readonly DailyCost[], asOf: string, options: ForecastOptions = {}): CostForecast {
  const damping = toDecimal(options.damping ?? '0.98');
  const trendWeeks = options.trendWeeks ?? 8;
  const asOfN = dayNumber(asOf);

  const byDay = new Map<number, MoneyDecimal>();
  let firstN = Number.POSITIVE_INFINITY;
  for (const row of series) {
    const n = dayNumber(row.day);
    if (n > asOfN) continue;
    byDay.set(n, (byDay.get(n) ?? ZERO).plus(toDecimal(row.amount)));
    firstN = Math.min(firstN, n);
  }
  const historyDays = byDay.size === 0 ? 0 : asOfN - firstN + 1;
  const valueAt = (n: number): MoneyDecimal => byDay.get(n) ?? ZERO;

  const model = fitModel(historyDays, asOfN, valueAt, trendWeeks);
  const nonNegative = historyDays === 0 || sumRange(asOfN - historyDays + 1, asOfN, valueAt).greaterThanOrEqualTo(0);

  const predict = (n: number): MoneyDecimal => {
    const h = n - asOfN;
    const dampedSteps = damping.eq(1) ? new MoneyDecimal(h) : damping.times(ONE.minus(damping.pow(h))).div(ONE.minus(damping));
    let level = model.level.plus(model.slope.times(dampedSteps));
    if (nonNegative) level = maxDecimal(level, ZERO);
    return level.times(model.factors[weekdayOfDayNumber(n)]);
  };

  const month = monthOf(asOf);
  const monthStartN = dayNumber(firstDayOfMonth(month));
  const monthEndN = dayNumber(lastDayOfMonth(month));
  const actualToDate = sumRange(monthStartN, asOfN, valueAt);
  const rest = sumRange(asOfN + 1, monthEndN, predict);
  const daysRemaining = monthEndN - asOfN;

  const band = (known: MoneyDecimal, predicted: MoneyDecimal, days: number) => {
    const sd = bandSd(model, days);
    let p10 = known.plus(predicted).minus(Z_P90.times(sd));
    if (nonNegative) p10 = maxDecimal(p10, known);
    return { p10: money(p10), p90: money(known.plus(predicted).plus(Z_P90.times(sd))) };
  };

  const monthEnd: MonthEndForecast = {
    month,
    actualToDate: money(actualToDate),
    predictedRest: money(rest),
    total: money(actualToDate.plus(rest)),
    ...band(actualToDate, rest, daysRemaining),
    daysElapsed: asOfN - monthStartN + 1,
    daysRemaining,
  };

  const nextMonths: PeriodForecast[] = [1, 2, 3].map((offset) => {
    const m = addMonths(month, offset);
    const startN = dayNumber(firstDayOfMonth(m));
    const endN = dayNumber(lastDayOfMonth(m));
    const total = sumRange(startN, endN, predict);
    return { month: m, total: money(total), ...band(ZERO, total, endN - startN + 1) };
  });

  return { asOf, method: 'weekday-profile-damped-theil-sen', historyDays, monthEnd, nextMonths };
}

interface FittedModel {
  /** Deseasonalised daily level at `asOf`. */
  level: MoneyDecimal;
  /** Change of that level per day. */
  slope: MoneyDecimal;
  /** Multiplicative weekday factors, index 0 = Sunday; mean 1. */
  factors: MoneyDecimal[];
  /** Robust sigma of one day's residual. */
  dailySigma: MoneyDecimal;
  /** Robust sigma of the level estimate. */
  levelSigma: MoneyDecimal;
}

function fitModel(historyDays: number, asOfN: number, valueAt: (n: number) => MoneyDecimal, trendWeeks: number): FittedModel {
  const flat = Array<MoneyDecimal>(7).fill(ONE);
  if (historyDays === 0) return { level: ZERO, slope: ZERO, factors: flat, dailySigma: ZERO, levelSigma: ZERO };
  if (historyDays < 7) {
    const values = range(asOfN - historyDays + 1, asOfN).map(valueAt);
    const sigma = MAD_TO_SIGMA.times(mad(values));
    return { level: mean(values), slope: ZERO, factors: flat, dailySigma: sigma, levelSigma: sigma.div(Math.sqrt(values.length)) };
  }

  // Weekday profile over the trailing whole weeks (at most 28 days), after clipping spikes.
  const profileDays = Math.min(PROFILE_DAYS, Math.floor(historyDays / 7) * 7);
  const clipped = clipByWeekday(range(asOfN - profileDays + 1, asOfN), valueAt);
  const overall = mean([...clipped.values()]);
  const factors = flat.slice();
  if (overall.greaterThan(0)) {
    for (let w = 0; w < 7; w++) {
      const ofWeekday = [...clipped.entries()].filter(([n]) => weekdayOfDayNumber(n) === w).map(([, v]) => v);
      factors[w] = mean(ofWeekday).div(overall);
    }
  }

  // Weekly means of whole weeks ending at asOf (newest first), spikes clipped the same way.
  const weeks = Math.min(trendWeeks, Math.floor(historyDays / 7));
  const clippedAll = clipByWeekday(range(asOfN - weeks * 7 + 1, asOfN), valueAt);
  const weekly = Array.from({ length: weeks }, (_, j) => {
    const end = asOfN - 7 * j;
    return { center: end - 3, mean: mean(range(end - 6, end).map((n) => clippedAll.get(n) as MoneyDecimal)) };
  });

  const slopes: MoneyDecimal[] = [];
  for (let a = 0; a < weekly.length; a++) {
    for (let b = a + 1; b < weekly.length; b++) {
      slopes.push(weekly[a].mean.minus(weekly[b].mean).div(weekly[a].center - weekly[b].center));
    }
  }
  const slope = weekly.length >= 3 ? median(slopes) : ZERO;
  const projected = weekly.map((w) => w.mean.plus(slope.times(asOfN - w.center)));
  const level = median(projected.slice(0, LEVEL_WEEKS));

  const residuals = range(asOfN - profileDays + 1, asOfN).map((n) =>
    valueAt(n).minus(level.minus(slope.times(asOfN - n)).times(factors[weekdayOfDayNumber(n)])),
  );
  const dailySigma = MAD_TO_SIGMA.times(mad(residuals));
  const levelSpread = projected.length >= 3 ? MAD_TO_SIGMA.times(mad(projected)) : dailySigma.div(Math.sqrt(7 * projected.length));
  return { level, slope, factors, dailySigma, levelSigma: levelSpread };
}

/** Clips each day to its weekday's median ± 5 robust sigmas (sigma pooled over all weekdays). */
function clipByWeekday(days: number[], valueAt: (n: number) => MoneyDecimal): Map<number, MoneyDecimal> {
  const medians = Array.from({ length: 7 }, (_, w) => median(days.filter((n) => weekdayOfDayNumber(n) === w).map(valueAt)));
  const sigma = MAD_TO_SIGMA.times(mad(days.map((n) => valueAt(n).minus(medians[weekdayOfDayNumber(n)]))));
  const out = new Map<number, MoneyDecimal>();
  for (const n of days) {
    const m = medians[weekdayOfDayNumber(n)];
    const v = valueAt(n);
    const limit = CLIP_SIGMAS.times(sigma);
    out.set(n, sigma.isZero() ? v : MoneyDecimal.min(MoneyDecimal.max(v, m.minus(limit)), m.plus(limit)));
  }
  return out;
}

function bandSd(model: FittedModel, days: number): MoneyDecimal {
  if (days <= 0) return ZERO;
  const daily = model.dailySigma.pow(2).times(days);
  const level = model.levelSigma.times(days).pow(2);
  return daily.plus(level).sqrt();
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n++) out.push(n);
  return out;
}

function sumRange(from: number, to: number, f: (n: number) => MoneyDecimal): MoneyDecimal {
  let total = ZERO;
  for (let n = from; n <= to; n++) total = total.plus(f(n));
  return total;
}

function money(d: MoneyDecimal): string {
  const r = d.toDecimalPlaces(2, MoneyDecimal.ROUND_HALF_EVEN);
  return (r.isZero() ? ZERO : r).toFixed(2);
}

export interface BacktestOptions {
  /** Days of the month to forecast from (as of day k, k = 1…31). */
  horizons: readonly number[];
  /** Skip forecasts with less history than this. Default 28. */
  minHistoryDays?: number;
  forecast?: ForecastOptions;
}

export interface BacktestHorizon {
  /** Forecast made as of this day of the month. */
  horizon: number;
  /** Mean absolute percentage error of the month-end total, in percent (2 places). */
  mape: number;
  /** Largest single absolute percentage error, in percent. */
  maxApe: number;
  /** Share of months whose actual total fell inside the p10…p90 band (0…1). */
  bandCoverage: number;
  /** Months measured. */
  samples: number;
}

/**
 * Replays history: for every month fully covered by the series and every horizon k, forecasts the
 * month-end total as of day k using only data up to that day, and compares it to the actual total.
 * Months whose actual total is 0 are skipped (a percentage error is undefined there).
 */
export function backtest(series: readonly DailyCost[], options: BacktestOptions): BacktestHorizon[] {
  const minHistory = options.minHistoryDays ?? 28;
  if (series.length === 0) return options.horizons.map((horizon) => ({ horizon, mape: 0, maxApe: 0, bandCoverage: 0, samples: 0 }));
  const days = series.map((r) => dayNumber(r.day));
  const firstN = Math.min(...days);
  const lastN = Math.max(...days);
  const months: string[] = [];
  for (let m = monthOf(fromDayNumber(firstN)); dayNumber(firstDayOfMonth(m)) <= lastN; m = addMonths(m, 1)) {
    if (dayNumber(firstDayOfMonth(m)) >= firstN && dayNumber(lastDayOfMonth(m)) <= lastN) months.push(m);
  }

  const totals = new Map<string, MoneyDecimal>();
  for (const r of series) {
    const m = monthOf(r.day);
    totals.set(m, (totals.get(m) ?? ZERO).plus(toDecimal(r.amount)));
  }

  return options.horizons.map((horizon) => {
    const errors: MoneyDecimal[] = [];
    let inside = 0;
    for (const m of months) {
      const last = dayNumber(lastDayOfMonth(m));
      const asOfN = Math.min(dayNumber(firstDayOfMonth(m)) + horizon - 1, last);
      if (asOfN - firstN + 1 < minHistory) continue;
      const actual = totals.get(m) ?? ZERO;
      if (actual.isZero()) continue;
      const f = forecastCosts(series, fromDayNumber(asOfN), options.forecast).monthEnd;
      errors.push(toDecimal(f.total).minus(actual).abs().div(actual.abs()).times(100));
      if (actual.greaterThanOrEqualTo(toDecimal(f.p10)) && actual.lessThanOrEqualTo(toDecimal(f.p90))) inside++;
    }
    return {
      horizon,
      mape: errors.length ? Number(mean(errors).toFixed(2)) : 0,
      maxApe: errors.length ? Number(MoneyDecimal.max(...errors).toFixed(2)) : 0,
      bandCoverage: errors.length ? Number((inside / errors.length).toFixed(2)) : 0,
      samples: errors.length,
    };
  });
}
