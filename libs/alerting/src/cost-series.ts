import { convertAmounts, monthOf, normalizeDecimal, sumDecimals } from '@meridian/finops';
import { AccessScope, CostFilter, CostGroup, Store } from '@meridian/store';

export interface DayAmount {
  day: string;
  amount: string;
}

/**
 * Daily cost in one currency: every cell is converted at its own month's rate from the rate table.
 * A missing rate throws finops' MissingRatesError naming each pair and month (never a silent 1.0).
 */
export async function dailyCostsIn(store: Store, scope: AccessScope, filter: CostFilter, currency: string): Promise<DayAmount[]> {
  const cells = await store.costs.aggregate(scope, ['day'] as CostGroup[], filter);
  const needsRates = cells.some((c) => c.currency !== currency);
  const rates = needsRates ? await store.fxRates.list() : [];
  const { amounts } = convertAmounts(
    cells.map((c) => ({ currency: c.currency, period: monthOf(c.keys[0]), amount: c.amount })),
    currency,
    rates,
  );
  const byDay = new Map<string, string[]>();
  cells.forEach((c, i) => byDay.set(c.keys[0], [...(byDay.get(c.keys[0]) ?? []), amounts[i]]));
  return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, parts]) => ({ day, amount: normalizeDecimal(sumDecimals(parts)) }));
}

export const sumBetween = (series: readonly DayAmount[], from: string, to: string): string =>
  normalizeDecimal(sumDecimals(series.filter((d) => d.day >= from && d.day <= to).map((d) => d.amount)));
