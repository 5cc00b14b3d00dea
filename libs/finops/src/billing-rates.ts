import { MoneyDecimal, normalizeDecimal, toDecimal } from './decimal';
import { DERIVED_RATE_PLACES, type FxRate } from './currency';

/** The source name of the rates Microsoft applied on its own line items (pcToBCExchangeRate). */
export const MICROSOFT_RATE_SOURCE = 'microsoft';

/**
 * One group of synced line items as the store reads it: the pricing → billing rate Partner Center
 * stamped on them (`pcToBCExchangeRate`, `pcToBCExchangeRateDate`) for a usage month.
 */
export interface BillingRateObservation {
  pricingCurrency: string;
  billingCurrency: string;
  /** Usage month, YYYY-MM: the month whose amounts this rate converts. */
  period: string;
  rate: string;
  /** pcToBCExchangeRateDate, YYYY-MM-DD. */
  rateDate: string;
  /** Every row of the group comes from a finalised invoice. */
  billed: boolean;
  rows: number;
}

/** A pricing → billing rate Microsoft applied in a month, with what it was read from. */
export interface BillingRate extends FxRate {
  rateDates: string[];
  rows: number;
}

/** Rows of one pair and month that disagree on the rate: reported, never averaged. */
export interface RateConflict {
  pair: string;
  period: string;
  observed: { rate: string; rateDates: string[]; rows: number }[];
}

/**
 * Per pair (pricing → billing) and month, the one rate Microsoft applied. A month is locked once
 * every row of it is billed (its invoices are final). Rows of one pair and month with different
 * rates make a conflict: the pair and month then have no Microsoft rate at all (the next source in
 * precedence, or a 422, decides) and the conflict lists every rate seen with its row count.
 * Same-currency groups carry no information and are left out.
 */
export function deriveBillingRates(observations: readonly BillingRateObservation[]): { rates: BillingRate[]; conflicts: RateConflict[] } {
  const groups = new Map<
    string,
    { base: string; quote: string; period: string; byRate: Map<string, { dates: Set<string>; rows: number }>; billed: boolean }
  >();
  for (const o of observations) {
    const base = o.pricingCurrency.toUpperCase();
    const quote = o.billingCurrency.toUpperCase();
    if (base === quote) continue;
    const key = `${base}/${quote}@${o.period}`;
    const g = groups.get(key) ?? { base, quote, period: o.period, byRate: new Map(), billed: true };
    // Equal values written differently ("0.8854" and "0.88540") are one rate.
    const rate = normalizeDecimal(o.rate);
    const seen = g.byRate.get(rate) ?? { dates: new Set<string>(), rows: 0 };
    seen.dates.add(o.rateDate);
    seen.rows += o.rows;
    g.byRate.set(rate, seen);
    g.billed = g.billed && o.billed;
    groups.set(key, g);
  }
  const rates: BillingRate[] = [];
  const conflicts: RateConflict[] = [];
  for (const g of [...groups.values()].sort(byPairAndPeriod)) {
    const observed = [...g.byRate].map(([rate, s]) => ({ rate, rateDates: [...s.dates].sort(), rows: s.rows }));
    if (observed.length > 1) {
      conflicts.push({
        pair: `${g.base}/${g.quote}`,
        period: g.period,
        observed: observed.sort((a, b) => toDecimal(a.rate).comparedTo(toDecimal(b.rate))),
      });
      continue;
    }
    const [only] = observed;
    rates.push({
      base: g.base,
      quote: g.quote,
      period: g.period,
      rate: only.rate,
      source: MICROSOFT_RATE_SOURCE,
      locked: g.billed,
      rateDates: only.rateDates,
      rows: only.rows,
    });
  }
  return { rates, conflicts };
}

/** A rate between two billing currencies, crossed through the pricing currency both are billed from. */
export interface CrossRate extends FxRate {
  via: string;
  legs: [FxRate, FxRate];
}

/**
 * Cross rates between billing currencies through a shared pricing currency P, per month:
 * X → Y = (P→Y) / (P→X), one exact quotient rounded half-even to 12 decimals (as every derived
 * factor). Locked when both legs are. When several pricing currencies could serve, the first in
 * alphabetical order is used, so the answer does not depend on row order.
 */
export function billingCrossRates(rates: readonly FxRate[]): CrossRate[] {
  const out = new Map<string, CrossRate>();
  const sorted = [...rates].sort(byPairAndPeriod);
  for (const x of sorted) {
    for (const y of sorted) {
      if (x.period !== y.period || x.base !== y.base || x.quote === y.quote) continue;
      const key = `${x.quote}/${y.quote}@${x.period}`;
      if (out.has(key)) continue;
      const rate = normalizeDecimal(
        toDecimal(y.rate).dividedBy(toDecimal(x.rate)).toDecimalPlaces(DERIVED_RATE_PLACES, MoneyDecimal.ROUND_HALF_EVEN),
      );
      out.set(key, {
        base: x.quote,
        quote: y.quote,
        period: x.period,
        rate,
        source: MICROSOFT_RATE_SOURCE,
        locked: x.locked && y.locked,
        via: x.base,
        legs: [x, y],
      });
    }
  }
  return [...out.values()].sort(byPairAndPeriod);
}

function byPairAndPeriod(a: { base: string; quote: string; period: string }, b: { base: string; quote: string; period: string }): number {
  return a.period.localeCompare(b.period) || a.base.localeCompare(b.base) || a.quote.localeCompare(b.quote);
}
