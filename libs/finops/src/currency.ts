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

/** A rate as applied to a conversion: direct, inverted, or crossed through a pivot currency. */
export interface AppliedRate {
  from: string;
  to: string;
  period: string;
  /** The factor used (1 `from` = factor `to`), rounded to 12 decimals when derived. */
  factor: string;
  /** identity | direct | inverse | via EUR | via USD | … */
  how: string;
  /** The source of the rates behind the factor; "a+b" only for a cross whose legs sit in two table sources. */
  source: string;
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

/** Decimal places of every derived factor (inverse or cross), rounded half-even once. */
export const DERIVED_RATE_PLACES = 12;

/**
 * Finds the factor converting `from` into `to` for a month: the rate itself, its inverse, or a cross
 * through one of `pivots` (EUR for the ECB-based table). A cross is computed as one exact quotient of
 * its two legs (e.g. CNY→USD = (EUR→USD) / (EUR→CNY)) and rounded half-even to 12 decimals once
 * (docs/decisions/0010-reporting-currency.md); a missing rate is never replaced by 1.
 */
export function findRate(rates: readonly FxRate[], from: string, to: string, period: string, pivots: readonly string[] = ['EUR']): AppliedRate | null {
  if (from === to) return { from, to, period, factor: '1', how: 'identity', source: 'identity', rates: [] };
  const direct = findLeg(rates, from, to, period);
  if (direct) {
    const how = direct.rate.base === from ? 'direct' : 'inverse';
    return { from, to, period, factor: how === 'direct' ? normalizeDecimal(direct.rate.rate) : derived(direct.num.dividedBy(direct.den)), how, source: direct.rate.source, rates: [direct.rate] };
  }
  for (const pivot of pivots) {
    if (pivot === from || pivot === to) continue;
    const first = findLeg(rates, from, pivot, period);
    const second = findLeg(rates, pivot, to, period);
    if (first && second) {
      const factor = derived(first.num.times(second.num).dividedBy(first.den.times(second.den)));
      return { from, to, period, factor, how: `via ${pivot}`, source: first.rate.source === second.rate.source ? first.rate.source : `${first.rate.source}+${second.rate.source}`, rates: [first.rate, second.rate] };
    }
  }
  return null;
}

/** a→b as an exact fraction num/den: the rate a→b (r/1) or the inverse of b→a (1/r). */
function findLeg(rates: readonly FxRate[], a: string, b: string, period: string): { num: MoneyDecimal; den: MoneyDecimal; rate: FxRate } | null {
  const direct = rates.find((r) => r.base === a && r.quote === b && r.period === period);
  if (direct) return { num: toDecimal(direct.rate), den: new MoneyDecimal(1), rate: direct };
  const inverse = rates.find((r) => r.base === b && r.quote === a && r.period === period);
  if (inverse) return { num: new MoneyDecimal(1), den: toDecimal(inverse.rate), rate: inverse };
  return null;
}

function derived(value: MoneyDecimal): string {
  return normalizeDecimal(value.toDecimalPlaces(DERIVED_RATE_PLACES, MoneyDecimal.ROUND_HALF_EVEN));
}

/**
 * One rate source in an organisation's precedence: its rates and the currencies a cross may pass
 * through (EUR for the table; the pricing currencies for Microsoft's billing rates).
 */
export interface RateSourceLayer {
  source: string;
  rates: readonly FxRate[];
  pivots: readonly string[];
}

/**
 * The factor from the first source in precedence order that can give it on its own, so every factor
 * is traceable to its source (docs/decisions/0018).
 */
export function resolveRate(layers: readonly RateSourceLayer[], from: string, to: string, period: string): AppliedRate | null {
  if (from === to) return findRate([], from, to, period);
  for (const layer of layers) {
    const found = findRate(layer.rates, from, to, period, layer.pivots);
    if (found) return found;
  }
  return null;
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
 * together in one MissingRatesError. `rates` is one table, or the organisation's source layers.
 */
export function convertAmounts(amounts: readonly MonthAmount[], target: string, rates: readonly FxRate[] | readonly RateSourceLayer[]): { amounts: string[]; applied: AppliedRate[] } {
  const layers: readonly RateSourceLayer[] = rates.length && 'pivots' in rates[0] ? (rates as RateSourceLayer[]) : [{ source: 'table', rates: rates as FxRate[], pivots: ['EUR'] }];
  const applied = new Map<string, AppliedRate>();
  const missing = new Map<string, MissingRate>();
  for (const a of amounts) {
    const key = `${a.currency}>${target}@${a.period}`;
    if (applied.has(key) || missing.has(key)) continue;
    const rate = resolveRate(layers, a.currency, target, a.period);
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
