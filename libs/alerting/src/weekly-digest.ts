import { addDays, MoneyDecimal, normalizeDecimal, toDecimal, weekday } from '@meridian/finops';
import type { CostDigest, DigestCurrency } from '@meridian/notify';
import { AccessScope, type Store } from '@meridian/store';

const TOP_SERVICES = 5;

/**
 * The last complete calendar week (Monday to Sunday, UTC) before `at`, and the one before it. A
 * calendar week, not "the last 7 days", so the digest is one per week whichever day it is sent.
 */
export function digestWeek(at: Date): { from: string; to: string; previousFrom: string; previousTo: string } {
  const today = at.toISOString().slice(0, 10);
  const sinceMonday = (weekday(today) + 6) % 7; // weekday: 0 = Sunday
  const from = addDays(today, -sinceMonday - 7);
  const to = addDays(from, 6);
  return { from, to, previousFrom: addDays(from, -7), previousTo: addDays(from, -1) };
}

const byAmountDesc = (a: { amount: string }, b: { amount: string }) => toDecimal(b.amount).comparedTo(toDecimal(a.amount));

/**
 * Last week's cost across every production account (sandboxes and legacy estimates left out, as on
 * the dashboard's defaults), per billing currency, from the same store queries the API answers with.
 */
export async function buildWeeklyDigest(store: Store, at: Date): Promise<CostDigest> {
  const week = digestWeek(at);
  const all = AccessScope.all();
  const filter = (from: string, to: string) => ({ from, to, includeSandbox: false });
  const [thisWeek, lastWeek, services, accounts, names, open] = await Promise.all([
    store.costs.breakdown(all, [], filter(week.from, week.to)),
    store.costs.breakdown(all, [], filter(week.previousFrom, week.previousTo)),
    store.costs.breakdown(all, ['service'], filter(week.from, week.to)),
    store.costs.breakdown(all, ['account'], filter(week.from, week.to)),
    store.accounts.list(all),
    store.alertEvents.list(all, { status: 'open', limit: 1 }),
  ]);
  const accountName = new Map(names.map((a) => [a.id, a.name]));
  const currencies: DigestCurrency[] = thisWeek.totals.map(({ currency, amount }) => {
    const previous = lastWeek.totals.find((t) => t.currency === currency)?.amount ?? '0';
    const prev = toDecimal(previous);
    return {
      currency,
      total: amount,
      previousTotal: normalizeDecimal(prev),
      changePercent: prev.isZero() ? null : toDecimal(amount).minus(prev).div(prev).times(100).toDecimalPlaces(1, MoneyDecimal.ROUND_HALF_EVEN).toFixed(1),
      topServices: services.rows
        .filter((r) => r.currency === currency)
        .sort(byAmountDesc)
        .slice(0, TOP_SERVICES)
        .map((r) => ({ name: r.keys.service || '(none)', amount: r.amount })),
      accounts: accounts.rows
        .filter((r) => r.currency === currency)
        .sort(byAmountDesc)
        .map((r) => ({ name: accountName.get(r.keys.account) ?? r.keys.account, amount: r.amount })),
    };
  });
  return {
    ...week,
    currencies,
    openAlerts: open.total,
    path: `/explorer?from=${week.from}&to=${week.to}&group=service`,
  };
}
