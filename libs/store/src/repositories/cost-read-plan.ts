import type { CostDimension } from '@meridian/contracts';

/** A time bucket or a dimension (same as CostRepository's CostGroup). */
export type PlannedGroup = CostDimension | 'day' | 'month';

/** Where a part of a cost query reads from (docs/decisions/0017). */
export type CostReadSource = 'daily' | 'dailyTotal' | 'monthly' | 'detail' | 'tag' | 'spanResourceGroup' | 'spanMeter' | 'raw';

export interface CostReadSegment {
  source: CostReadSource;
  /** Inclusive usage days; for monthly tables the first and last day of whole months. */
  from: string;
  to: string;
}

export interface CostReadPlan {
  segments: CostReadSegment[];
  /**
   * Grouping by tag: the tag table holds only tagged values, so the '' bucket (rows without the key)
   * is this table's total minus the tagged values, over the tag segment's months.
   */
  untaggedFrom?: 'monthly' | 'detail';
}

const HEAVY: ReadonlySet<PlannedGroup> = new Set<PlannedGroup>(['resourceGroup', 'meter', 'tag']);
/**
 * The span tables (decision 0028) and what they can group and filter by: whole months of resource
 * groups or meters, from a few spans of 1–8 months instead of every month's detail groups.
 */
const RESOURCE_GROUP_SPAN_HOLDS: ReadonlySet<PlannedGroup> = new Set<PlannedGroup>(['account', 'cloud', 'customer', 'subscription', 'resourceGroup', 'service']);
const SPANS: readonly [CostReadSource, ReadonlySet<PlannedGroup>][] = [
  ['spanResourceGroup', RESOURCE_GROUP_SPAN_HOLDS],
  ['spanMeter', new Set<PlannedGroup>(['account', 'cloud', 'meter', 'service'])],
];

/** What the daily totals hold (besides currency and source): the days of a query that needs no more. */
const NARROW: ReadonlySet<PlannedGroup> = new Set<PlannedGroup>(['day', 'month', 'account', 'cloud', 'customer', 'invoice']);

/**
 * Which tables answer a query: whole months from the monthly aggregates, the days before the first
 * and after the last whole month from the daily totals (account, cloud, customer, invoice), the daily
 * rollup (the other dashboard dimensions) or the raw rows
 * (resource group, meter, tag — a few days' rows at most). Resource group or meter with dimensions a
 * span table holds read whole months from it, others from the monthly detail. Raw rows answer the whole range only where
 * no aggregate has the grain: resource group, meter or tag by day, tag with meter, or a filter on
 * the untagged ('') value of a tag. Dashboard dimensions the resource-group spans hold (account, cloud,
 * customer, subscription, service) over two whole months or more read those spans too.
 */
export function planCostRead(
  from: string,
  to: string,
  dimensions: ReadonlySet<PlannedGroup>,
  options: {
    raw?: boolean;
    tagGrouped?: boolean;
    tagFilter?: readonly string[];
    /** Estimates asked for: the span tables leave them out. */
    includeEstimated?: boolean;
    /** The scope sees some account through customer-scoped grants: the meter spans have no customer. */
    customerScoped?: boolean;
  } = {},
): CostReadPlan {
  const all = (source: CostReadSource): CostReadPlan => ({ segments: [{ source, from, to }] });
  if (options.raw) return all('raw');
  const heavy = [...dimensions].some((d) => HEAVY.has(d));
  if (!heavy) {
    const days = [...dimensions].every((d) => NARROW.has(d)) ? 'dailyTotal' : 'daily';
    if (dimensions.has('day')) return all(days);
    // From two whole months on, the resource-group spans hold fewer groups than the monthly rollup
    // (a span of 1–8 months holds about as many as one month: at 10M rows a year is 4 spans, ~40k
    // groups, against ~138k in 12 months of the rollup), if they hold every dimension asked for.
    const whole = wholeMonthsOf(from, to);
    const spans =
      whole !== undefined && monthsBetween(whole.from, whole.to) >= 2 && !options.includeEstimated && [...dimensions].every((d) => RESOURCE_GROUP_SPAN_HOLDS.has(d));
    return split(from, to, spans ? 'spanResourceGroup' : 'monthly', days);
  }
  if (dimensions.has('day')) return all('raw');
  if (!dimensions.has('tag')) {
    const span = options.includeEstimated
      ? undefined
      : SPANS.find(([source, holds]) => [...dimensions].every((d) => holds.has(d)) && !(source === 'spanMeter' && options.customerScoped));
    return split(from, to, span?.[0] ?? 'detail', 'raw');
  }
  if (dimensions.has('meter') || options.tagFilter?.includes('')) return all('raw');
  const plan = split(from, to, 'tag', 'raw');
  // A filter on tagged values leaves the '' bucket out; grouping without such a filter needs it.
  if (options.tagGrouped && !options.tagFilter && plan.segments.some((s) => s.source === 'tag')) {
    plan.untaggedFrom = dimensions.has('resourceGroup') ? 'detail' : 'monthly';
  }
  return plan;
}

function split(from: string, to: string, months: CostReadSource, edges: CostReadSource): CostReadPlan {
  const whole = wholeMonthsOf(from, to);
  if (!whole) return { segments: [{ source: edges, from, to }] };
  const segments: CostReadSegment[] = [];
  if (from < whole.from) segments.push({ source: edges, from, to: addDays(whole.from, -1) });
  segments.push({ source: months, ...whole });
  if (whole.to < to) segments.push({ source: edges, from: addDays(whole.to, 1), to });
  return { segments };
}

/** The first day of the first and the last day of the last whole month within from..to, if any. */
export function wholeMonthsOf(from: string, to: string): { from: string; to: string } | undefined {
  if (from > to) return undefined;
  const first = from.endsWith('-01') ? from : addMonths(from.slice(0, 7) + '-01', 1);
  const last = addDays(to, 1).endsWith('-01') ? to : addDays(to.slice(0, 7) + '-01', -1);
  return first <= last ? { from: first, to: last } : undefined;
}

/** Months from the month of `from` to the month of `to`, both counted. */
function monthsBetween(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function addMonths(firstOfMonth: string, n: number): string {
  const d = new Date(`${firstOfMonth}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}

/** The last day of the month of `day`. */
export function lastDayOfMonth(day: string): string {
  return addDays(addMonths(`${day.slice(0, 7)}-01`, 1), -1);
}

/**
 * Whether from..to covers at least half of the span lo..hi (all YYYY-MM months or all YYYY-MM-DD
 * days, inclusive): the share of a time-keyed table a range read touches. Beyond half, reading the
 * whole table in storage order costs less than a row lookup per index entry (decision 0028).
 */
export function coversMostOfSpan(from: string, to: string, lo: string, hi: string): boolean {
  const ordinal = (t: string) => (t.length === 7 ? Number(t.slice(0, 4)) * 12 + Number(t.slice(5, 7)) : Date.parse(`${t}T00:00:00Z`) / 86_400_000);
  const span = ordinal(hi) - ordinal(lo) + 1;
  const covered = Math.min(ordinal(to), ordinal(hi)) - Math.max(ordinal(from), ordinal(lo)) + 1;
  return span > 0 && covered * 2 >= span;
}
