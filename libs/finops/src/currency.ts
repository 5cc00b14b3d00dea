import { MoneyDecimal, normalizeDecimal, toDecimal } from './decimal';

/** One rate of the table: 1 `base` = `rate` `quote`, for a month (YYYY-MM). */
export interface FxRate {
  base: string;
  quote: string;
  period: string;
  rate: string;
  source: string;
  locked: boolean;
}

/** A rate as applied to a conversion: direct, inverted, or through EUR (ECB rates are EUR-based). */
export interface AppliedRate {
  from: string;
  to: string;
  period: string;
  /** The factor used (1 `from` = factor `to`), rounded to 12 decimals when derived. */
  factor: string;
  how: 'identity' | 'direct' | 'inverse' | 'via EUR';
  rates: FxRate[];
}

export interface MissingRate {
  pair: string;
  period: string;
}

export class MissingRatesError extends Error {
  constructor(readonly missing: MissingRate[]) {
    super(`missing exchange rates: ${missing.map((m) => `${m.pair} for ${m.period}`).join(', ')}`);
  }
}

const DERIVED_PLACES = 12;

/**
 * Finds the factor converting `from` into `to` for a month: the rate itself, its inverse, or a cross
 * through EUR. Derived factors are rounded half-even to 12 decimals (documented in
 * docs/decisions/0010-reporting-currency.md); a missing rate is never replaced by 1.
 */
export function findRate(rates: readonly FxRate[], from: string, to: string, period: string): AppliedRate | null {
  if (from === to) return { from, to, period, factor: '1', how: 'identity', rates: [] };
  const get = (b: string, q: string) => rates.find((r) => r.base === b && r.quote === q && r.period === period);
  const direct = get(from, to);
  if (direct) return { from, to, period, factor: normalizeDecimal(direct.rate), how: 'direct', rates: [direct] };
  const inverse = get(to, from);
  if (inverse) return { from, to, period, factor: derived(new MoneyDecimal(1).dividedBy(toDecimal(inverse.rate))), how: 'inverse', rates: [inverse] };
  // Cross through EUR: from→EUR and EUR→to, each direct or inverted.
  const leg = (a: string, b: string) => findDirectOrInverse(rates, a, b, period);
  if (from !== 'EUR' && to !== 'EUR') {
    const first = leg(from, 'EUR');
    const second = leg('EUR', to);
    if (first && second) {
      return { from, to, period, factor: derived(first.value.times(second.value)), how: 'via EUR', rates: [first.rate, second.rate] };
    }
  }
  return null;
}

function findDirectOrInverse(rates: readonly FxRate[], a: string, b: string, period: string): { value: MoneyDecimal; rate: FxRate } | null {
  const direct = rates.find((r) => r.base === a && r.quote === b && r.period === period);
  if (direct) return { value: toDecimal(direct.rate), rate: direct };
  const inverse = rates.find((r) => r.base === b && r.quote === a && r.period === period);
  if (inverse) return { value: new MoneyDecimal(1).dividedBy(toDecimal(inverse.rate)), rate: inverse };
  return null;
}

function derived(value: MoneyDecimal): string {
  return normalizeDecimal(value.toDecimalPlaces(DERIVED_PLACES, MoneyDecimal.ROUND_HALF_EVEN));
}

/** An amount in its currency for one month, to be converted. */
export interface MonthAmount {
  currency: string;
  period: string;
  amount: string;
}

/**
 * Converts amounts into `target`, each at its own month's rate, exactly (no rounding of the
 * converted amounts: callers round once, for display). Every missing (pair, month) is reported
 * together in one MissingRatesError.
 */
export function convertAmounts(amounts: readonly MonthAmount[], target: string, rates: readonly FxRate[]): { amounts: string[]; applied: AppliedRate[] } {
  const applied = new Map<string, AppliedRate>();
  const missing = new Map<string, MissingRate>();
  for (const a of amounts) {
    const key = `${a.currency}>${target}@${a.period}`;
    if (applied.has(key) || missing.has(key)) continue;
    const rate = findRate(rates, a.currency, target, a.period);
    if (rate) applied.set(key, rate);
    else missing.set(key, { pair: `${a.currency}/${target}`, period: a.period });
  }
  if (missing.size) throw new MissingRatesError([...missing.values()].sort((x, y) => x.pair.localeCompare(y.pair) || x.period.localeCompare(y.period)));
  return {
    amounts: amounts.map((a) => normalizeDecimal(toDecimal(a.amount).times(toDecimal(applied.get(`${a.currency}>${target}@${a.period}`)!.factor)))),
    applied: [...applied.values()].filter((r) => r.how !== 'identity').sort((x, y) => x.from.localeCompare(y.from) || x.period.localeCompare(y.period)),
  };
}

function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/**
 * Monthly rates from the ECB reference-rate CSV (eurofxref-hist.csv layout: `Date,USD,JPY,…`, one
 * row per day, `N/A` when there is no fixing): the mean of the month's daily fixings, rounded
 * half-even to 6 decimals, as EUR→currency. Bad lines are reported with their line number.
 */
export function monthlyRatesFromEcbCsv(csv: string): { rates: { base: 'EUR'; quote: string; period: string; rate: string }[]; errors: { line: number; message: string }[] } {
  const lines = csv.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const errors: { line: number; message: string }[] = [];
  if (header[0] !== 'Date' || header.length < 2) return { rates: [], errors: [{ line: 1, message: 'expected a header "Date,USD,JPY,…" (ECB reference rates layout)' }] };
  const sums = new Map<string, { sum: MoneyDecimal; n: number }>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const cells = line.split(',').map((c) => c.trim());
    const date = cells[0];
    if (!isCalendarDay(date)) {
      errors.push({ line: i + 1, message: `Date: expected YYYY-MM-DD, got ${JSON.stringify(date)}` });
      continue;
    }
    for (let c = 1; c < header.length; c++) {
      const code = header[c];
      const value = cells[c] ?? '';
      if (!code || value === '' || value === 'N/A') continue;
      if (!/^[A-Z]{3}$/.test(code)) {
        errors.push({ line: 1, message: `column ${c + 1}: ${JSON.stringify(code)} is not a currency code` });
        continue;
      }
      if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) {
        errors.push({ line: i + 1, message: `${code}: not a positive rate (${JSON.stringify(value)})` });
        continue;
      }
      const key = `${code}|${date.slice(0, 7)}`;
      const s = sums.get(key) ?? { sum: new MoneyDecimal(0), n: 0 };
      s.sum = s.sum.plus(toDecimal(value));
      s.n += 1;
      sums.set(key, s);
    }
  }
  const unique = [...new Set(errors.map((e) => JSON.stringify(e)))].map((e) => JSON.parse(e) as { line: number; message: string });
  const rates = [...sums.entries()]
    .map(([key, s]) => {
      const [quote, period] = key.split('|');
      return { base: 'EUR' as const, quote, period, rate: normalizeDecimal(s.sum.dividedBy(s.n).toDecimalPlaces(6, MoneyDecimal.ROUND_HALF_EVEN)) };
    })
    .sort((a, b) => a.quote.localeCompare(b.quote) || a.period.localeCompare(b.period));
  return { rates, errors: unique };
}
