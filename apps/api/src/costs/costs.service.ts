import { Inject, Injectable } from '@nestjs/common';
import {
  COST_DIMENSIONS,
  type BreakdownQuery,
  type BreakdownResponse,
  type CostDimension,
  type CostFilterQuery,
  type CostSummaryResponse,
  type ForecastQuery,
  type ForecastResponse,
  type MonthOverMonthQuery,
  type MonthOverMonthResponse,
  type TimeSeriesQuery,
  type TimeSeriesResponse,
  type TopQuery,
  type TopResponse,
} from '@meridian/contracts';
import { addDays, addMonths, daysBetween, forecastCosts, lastDayOfMonth, MoneyDecimal, normalizeDecimal, sumDecimals, toDecimal } from '@meridian/finops';
import { AccessScope, CostFilter, Store } from '@meridian/store';
import { FRESHNESS_STREAM } from '@meridian/sync';
import { apiToday } from '../common/clock';
import { dimensionLabels } from './dimension-labels';
import { ReportingCurrencyService } from './reporting-currency.service';

type UndatedFilter = Omit<CostFilterQuery, 'from' | 'to' | 'preset' | 'currency'>;

/** String#localeCompare (V8 compares ASCII text without ICU: faster than an Intl.Collator's compare). */
const byLocale = (a: string, b: string): number => a.localeCompare(b);

/** History the forecast learns from. */
const FORECAST_HISTORY_DAYS = 180;

/** Cost queries. Amounts stay exact decimal strings and are never added across currencies. */
@Injectable()
export class CostsService {
  constructor(
    @Inject(Store) private readonly store: Store,
    private readonly reportingCurrency: ReportingCurrencyService,
  ) {}

  async breakdown(scope: AccessScope, q: BreakdownQuery): Promise<BreakdownResponse> {
    const effective = scope.narrow(q.accountIds);
    const { rows, totals } = await this.store.costs.breakdown(effective, q.groupBy, this.filter(q, q));
    const reporting = q.currency ? await this.convertedBreakdown(scope, effective, q.groupBy, q, q.currency) : undefined;
    return {
      ...(reporting ? { reporting } : {}),
      from: q.from,
      to: q.to,
      groupBy: q.groupBy,
      rows: rows.map((r) => ({ keys: r.keys, currency: r.currency, amount: r.amount })),
      totals,
      accountIds: await this.accountIdsIn(effective, q.includeSandbox),
    };
  }

  async summary(scope: AccessScope, q: CostFilterQuery): Promise<CostSummaryResponse> {
    const effective = scope.narrow(q.accountIds);
    const { rows, totals } = await this.store.costs.breakdown(effective, ['account'], this.filter(q, q));
    const accounts = (await this.store.accounts.list(effective)).filter((a) => q.includeSandbox || !a.sandbox);
    const status = await this.store.syncRuns.statusByAccount(accounts.map((a) => a.id), [FRESHNESS_STREAM]);
    const reporting = q.currency ? await this.convertedBreakdown(scope, effective, ['account'], q, q.currency) : undefined;
    return {
      ...(reporting
        ? { reporting: { currency: reporting.currency, total: reporting.total, byAccount: reporting.rows.map((r) => ({ accountId: r.keys.account, amount: r.amount })), ratesUsed: reporting.ratesUsed, rateConflicts: reporting.rateConflicts } }
        : {}),
      from: q.from,
      to: q.to,
      totals,
      byAccount: accounts.map((a) => ({
        accountId: a.id,
        accountName: a.name,
        currency: a.currency,
        amount: rows.find((r) => r.keys.account === a.id && r.currency === a.currency)?.amount ?? '0',
        lastSuccessAt: status.get(a.id)?.lastSuccessAt ?? null,
      })),
    };
  }

  async timeSeries(scope: AccessScope, q: TimeSeriesQuery): Promise<TimeSeriesResponse> {
    const effective = scope.narrow(q.accountIds);
    const cells = await this.store.costs.aggregate(effective, q.groupBy ? [q.granularity, q.groupBy] : [q.granularity], this.filter(q, q));
    const points = cells
      .map((c) => ({ period: c.keys[0], key: c.keys[1] ?? '', currency: c.currency, amount: c.amount }))
      .sort((a, b) => byLocale(a.period, b.period) || byLocale(a.currency, b.currency) || byLocale(a.key, b.key));
    const reporting = q.currency ? await this.convertedSeries(scope, points, q.currency) : undefined;
    return {
      ...(reporting ? { reporting } : {}),
      from: q.from,
      to: q.to,
      granularity: q.granularity,
      groupBy: q.groupBy ?? null,
      periods: q.granularity === 'day' ? daysBetween(q.from, q.to) : monthsBetween(q.from, q.to),
      points,
      totals: totalsByCurrency(points),
    };
  }

  async top(scope: AccessScope, q: TopQuery): Promise<TopResponse> {
    const effective = scope.narrow(q.accountIds);
    const cells = await this.store.costs.aggregate(effective, [q.dimension], this.filter(q, q));
    const label = await dimensionLabels(this.store, effective, q.dimension, await this.accountIdsIn(effective, q.includeSandbox));
    const currencies = [...new Set(cells.map((c) => c.currency))].sort();
    return {
      from: q.from,
      to: q.to,
      dimension: q.dimension,
      currencies: currencies.map((currency) => {
        // Amounts parsed once per cell, not twice per comparison (resource groups: thousands of cells).
        const ranked = cells
          .filter((c) => c.currency === currency)
          .map((c) => ({ c, amount: toDecimal(c.amount) }))
          .sort((a, b) => b.amount.comparedTo(a.amount) || byLocale(a.c.keys[0], b.c.keys[0]))
          .map(({ c }) => c);
        const items = ranked.slice(0, q.limit).map((c, i) => ({ rank: i + 1, key: c.keys[0], label: label(c.keys[0]), amount: c.amount }));
        const total = sumDecimals(ranked.map((c) => c.amount));
        return { currency, items, others: sumDecimals(ranked.slice(q.limit).map((c) => c.amount)), total };
      }),
    };
  }

  async monthOverMonth(scope: AccessScope, q: MonthOverMonthQuery): Promise<MonthOverMonthResponse> {
    const effective = scope.narrow(q.accountIds);
    const today = apiToday();
    const month = q.month ?? today.slice(0, 7);
    const previousMonth = addMonths(month, -1);
    const through = month === today.slice(0, 7) ? today : lastDayOfMonth(month);
    const day = Number(through.slice(8, 10));
    const previousThrough = `${previousMonth}-${String(Math.min(day, Number(lastDayOfMonth(previousMonth).slice(8, 10)))).padStart(2, '0')}`;
    const groups = q.groupBy ? [q.groupBy] : [];
    const sums = async (from: string, to: string) =>
      new Map((await this.store.costs.aggregate(effective, groups, this.filter(q, { from, to }))).map((c) => [`${c.currency}\u0000${c.keys[0] ?? ''}`, c.amount]));
    const [current, previousToDate, previousFull] = await Promise.all([
      sums(`${month}-01`, through),
      sums(`${previousMonth}-01`, previousThrough),
      sums(`${previousMonth}-01`, lastDayOfMonth(previousMonth)),
    ]);
    const label = await dimensionLabels(this.store, effective, q.groupBy, await this.accountIdsIn(effective, q.includeSandbox));
    const ids = [...new Set([...current.keys(), ...previousToDate.keys(), ...previousFull.keys()])];
    const rows = ids.map((id) => {
      const [currency, key] = id.split('\u0000');
      const now = toDecimal(current.get(id) ?? '0');
      const before = toDecimal(previousToDate.get(id) ?? '0');
      const change = now.minus(before);
      return {
        key,
        label: q.groupBy ? label(key) : 'Total',
        currency,
        current: normalizeDecimal(now),
        previousToDate: normalizeDecimal(before),
        previousFull: normalizeDecimal(previousFull.get(id) ?? '0'),
        change: normalizeDecimal(change),
        changePercent: before.isZero() ? null : change.dividedBy(before.abs()).times(100).toDecimalPlaces(1, MoneyDecimal.ROUND_HALF_EVEN).toFixed(1),
      };
    });
    const currentValue = new Map(rows.map((r) => [r, toDecimal(r.current)]));
    rows.sort((a, b) => byLocale(a.currency, b.currency) || currentValue.get(b)!.comparedTo(currentValue.get(a)!) || byLocale(a.key, b.key));
    return { month, previousMonth, through, groupBy: q.groupBy ?? null, rows };
  }

  /**
   * Month-end and next-3-months forecast per currency (libs/finops/FORECAST.md). `asOf` defaults
   * to yesterday: Partner Center reports usage up to ~24 h late, so today is never complete.
   */
  async forecast(scope: AccessScope, q: ForecastQuery): Promise<ForecastResponse> {
    const effective = scope.narrow(q.accountIds);
    const asOf = q.asOf ?? addDays(apiToday(), -1);
    const cells = await this.store.costs.aggregate(effective, ['day'], this.filter(q, { from: addDays(asOf, -FORECAST_HISTORY_DAYS + 1), to: asOf }));
    const currencies = [...new Set(cells.map((c) => c.currency))].sort();
    return {
      asOf,
      method: 'weekday-profile-damped-theil-sen',
      currencies: currencies.map((currency) => {
        const f = forecastCosts(
          cells.filter((c) => c.currency === currency).map((c) => ({ day: c.keys[0], amount: c.amount })),
          asOf,
        );
        return { currency, historyDays: f.historyDays, monthEnd: f.monthEnd, nextMonths: f.nextMonths };
      }),
    };
  }

  /** The breakdown again by month, each cell converted at its month's rate, then summed per key. */
  private async convertedBreakdown(callerScope: AccessScope, scope: AccessScope, dims: readonly CostDimension[], q: CostFilterQuery, currency: string) {
    const cells = await this.store.costs.aggregate(scope, [...dims, 'month'], this.filter(q, q));
    const items = cells.map((c) => ({ key: JSON.stringify(c.keys.slice(0, dims.length)), currency: c.currency, period: c.keys[dims.length], amount: c.amount }));
    const { byKey, total, ratesUsed, rateConflicts } = await this.reportingCurrency.convert(callerScope, currency, items);
    const rows = [...byKey]
      .map(([key, amount]) => {
        const keys = Object.fromEntries(dims.map((d, i) => [d, (JSON.parse(key) as string[])[i]]));
        return { row: { keys, amount }, value: toDecimal(amount), keyText: JSON.stringify(keys) };
      })
      .sort((a, b) => b.value.comparedTo(a.value) || byLocale(a.keyText, b.keyText))
      .map(({ row }) => row);
    return { currency, rows, total, ratesUsed, rateConflicts };
  }

  /** Each point (a day or a month) at its month's rate, then summed per period and key across currencies. */
  private async convertedSeries(scope: AccessScope, points: readonly { period: string; key: string; currency: string; amount: string }[], currency: string) {
    const items = points.map((p) => ({ key: JSON.stringify([p.period, p.key]), currency: p.currency, period: p.period.slice(0, 7), amount: p.amount }));
    const { byKey, total, ratesUsed, rateConflicts } = await this.reportingCurrency.convert(scope, currency, items);
    const converted = [...byKey].map(([key, amount]) => {
      const [period, k] = JSON.parse(key) as [string, string];
      return { period, key: k, amount };
    });
    converted.sort((a, b) => byLocale(a.period, b.period) || byLocale(a.key, b.key));
    return { currency, points: converted, total, ratesUsed, rateConflicts };
  }

  private filter(q: UndatedFilter, range: { from: string; to: string }): CostFilter {
    const where: Partial<Record<CostDimension, string[]>> = {};
    for (const d of COST_DIMENSIONS) if (q[d] !== undefined) where[d] = q[d];
    return { from: range.from, to: range.to, includeSandbox: q.includeSandbox, includeEstimated: q.includeEstimated, where, tagKey: q.tagKey };
  }

  private async accountIdsIn(scope: AccessScope, includeSandbox: boolean): Promise<string[]> {
    return (await this.store.accounts.list(scope)).filter((a) => includeSandbox || !a.sandbox).map((a) => a.id);
  }
}

function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = addMonths(m, 1)) months.push(m);
  return months;
}

function totalsByCurrency(points: { currency: string; amount: string }[]): { currency: string; amount: string }[] {
  const byCurrency = new Map<string, string[]>();
  // push, not a copy per point: a daily series by resource group has hundreds of thousands of points.
  for (const p of points) {
    const amounts = byCurrency.get(p.currency);
    if (amounts) amounts.push(p.amount);
    else byCurrency.set(p.currency, [p.amount]);
  }
  return [...byCurrency].sort(([a], [b]) => byLocale(a, b)).map(([currency, amounts]) => ({ currency, amount: sumDecimals(amounts) }));
}
