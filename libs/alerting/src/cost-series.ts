import { convertAmounts, monthOf, normalizeDecimal, sumDecimals, type RateSourceLayer } from '@meridian/finops';
import { AccessScope, CostFilter, CostGroup, Store } from '@meridian/store';

export interface DayAmount {
  day: string;
  amount: string;
}

/**
 * Daily cost in one currency: every cell is converted at its own month's rate, with the
 * organisation's rate sources in its order (as the dashboard converts).
 * A missing rate throws finops' MissingRatesError naming each pair and month (never a silent 1.0).
 */
export async function dailyCostsIn(store: Store, scope: AccessScope, filter: CostFilter, currency: string): Promise<DayAmount[]> {
  const cells = await store.costs.aggregate(scope, ['day'] as CostGroup[], filter);
  const items = cells.map((c) => ({ currency: c.currency, period: monthOf(c.keys[0]), amount: c.amount }));
  const { amounts } = convertAmounts(items, currency, await organisationRates(store, items, currency));
  const byDay = new Map<string, string[]>();
  cells.forEach((c, i) => byDay.set(c.keys[0], [...(byDay.get(c.keys[0]) ?? []), amounts[i]]));
  return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, parts]) => ({ day, amount: normalizeDecimal(sumDecimals(parts)) }));
}

export const sumBetween = (series: readonly DayAmount[], from: string, to: string): string =>
  normalizeDecimal(sumDecimals(series.filter((d) => d.day >= from && d.day <= to).map((d) => d.amount)));

/**
 * The organisation's rate layers for the months of `items` (none needed when all are in `currency`).
 * Evaluation is the organisation's, not a user's: Microsoft's rates come from every account.
 */
export async function organisationRates(store: Store, items: readonly { currency: string; period: string }[], currency: string): Promise<RateSourceLayer[]> {
  const periods = items.filter((i) => i.currency !== currency).map((i) => i.period).sort();
  if (!periods.length) return [];
  return (await store.rateSources.layers(AccessScope.all(), { from: periods[0], to: periods[periods.length - 1] })).layers;
}
