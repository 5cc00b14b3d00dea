import { hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { limbNumbers, limbsOfScaled, normalizedLimbNumbers, scaledBy1e24, scaledOfLimbNumbers } from '@meridian/finops';
import { DataSource, EntityManager } from 'typeorm';
import type { CostRow } from '../entities/cost-line-item.entity';
import { dialectOf, pgConnectionOf, placeholders, rowsPerStatement, SqlDialect, SqliteStatement, sqliteConnection } from './sql-dialect';
import { changeInSlices } from './sliced-change';
import { AdaptiveBatch, LoopSlicer } from './yield';

/**
 * The pre-aggregates of cost_line_item (docs/decisions/0017-pre-aggregates-for-every-dimension.md)
 * and how a write changes them. Every table holds the billed and list cost as integer limbs
 * (libs/finops limbs.ts) and a row count, keyed by a grain; a write adds the signed contribution of
 * each line item it inserts, replaces or removes ("deltas"), so the tables follow the raw rows page by
 * page, exactly, without rereading a period.
 */

/** Separates a grain's values in its key string (not a character of any id, name or day). */
const SEP = '\u0001';

/** Key columns every aggregate has (invoice_id is '' while a row is unbilled). */
export const LIGHT_KEY_COLUMNS = [
  'billing_account_id',
  'billing_period_start',
  'x_cloud',
  'x_customer_id',
  'sub_account_id',
  'service_name',
  'region_id',
  'x_charge_type',
  'invoice_id',
  'x_source',
  'billing_currency',
] as const;
export const AMOUNT_COLUMNS = ['billed_l0', 'billed_l1', 'billed_l2', 'list_l0', 'list_l1', 'list_l2', 'row_count'] as const;

export interface AggregateTable {
  readonly name: string;
  /** The grain, in the order contributions build their keys. */
  readonly keyColumns: readonly string[];
  /**
   * Primary key: the time bucket (and tag key) first, so a range is contiguous, then agg_key (a hash
   * of the grain); the span tables put the dimension they sum between the two (decision 0032).
   */
  readonly primaryKey: readonly string[];
}

export const DAILY_ROLLUP: AggregateTable = {
  name: 'cost_daily_rollup',
  keyColumns: ['charge_period_start', ...LIGHT_KEY_COLUMNS],
  primaryKey: ['charge_period_start', 'agg_key'],
};
export const MONTHLY_ROLLUP: AggregateTable = {
  name: 'cost_monthly_rollup',
  keyColumns: ['charge_month', ...LIGHT_KEY_COLUMNS],
  primaryKey: ['charge_month', 'agg_key'],
};
export const MONTHLY_DETAIL: AggregateTable = {
  name: 'cost_monthly_detail',
  keyColumns: ['charge_month', ...LIGHT_KEY_COLUMNS, 'x_resource_group', 'x_meter_id'],
  primaryKey: ['charge_month', 'agg_key'],
};
export const MONTHLY_TAG: AggregateTable = {
  name: 'cost_monthly_tag',
  keyColumns: ['charge_month', ...LIGHT_KEY_COLUMNS, 'x_resource_group', 'tag_key', 'tag_value'],
  primaryKey: ['tag_key', 'charge_month', 'agg_key'],
};

/**
 * Totals per day of the narrow dimensions (account, cloud, customer, invoice): a month of them is a
 * few thousand rows where the daily rollup has one per subscription × service × region. Answers
 * trends by day and the edge days of a range when nothing else is grouped or filtered on.
 */
export const DAILY_TOTAL: AggregateTable = {
  name: 'cost_daily_total',
  keyColumns: ['charge_period_start', 'billing_account_id', 'billing_period_start', 'x_cloud', 'x_customer_id', 'invoice_id', 'x_source', 'billing_currency'],
  primaryKey: ['charge_period_start', 'agg_key'],
};
/** Positions in LIGHT_KEY_COLUMNS of DAILY_TOTAL's columns after the day. */
const NARROW_LIGHT = DAILY_TOTAL.keyColumns.slice(1).map((c) => (LIGHT_KEY_COLUMNS as readonly string[]).indexOf(c));
// AggregateDeltas.add spells these positions out (no array per row): they must not drift.
if (NARROW_LIGHT.join() !== '0,1,2,3,8,9,10') throw new Error(`DAILY_TOTAL's columns moved in LIGHT_KEY_COLUMNS: ${NARROW_LIGHT.join()}`);

/**
 * The hash that identifies a group of a table: md5 (22 characters) of its grain's values joined by
 * SEP — the text AggregateDeltas already keys its groups by, so it is hashed as it is.
 */
function aggregateKeyOf(groupText: string): string {
  return hash('md5', groupText, 'base64url');
}
/** In the order of AggregateDeltas.groups. */
export const AGGREGATE_TABLES: readonly AggregateTable[] = [DAILY_ROLLUP, MONTHLY_ROLLUP, MONTHLY_DETAIL, MONTHLY_TAG, DAILY_TOTAL];
/** Position of MONTHLY_DETAIL in AGGREGATE_TABLES: the span tables are derived from its groups. */
export const DETAIL_INDEX = AGGREGATE_TABLES.indexOf(MONTHLY_DETAIL);

/**
 * Span tables (docs/decisions/0028, keyed by dimension in 0032): a year of resource groups or meters read from the monthly
 * detail sums ~30k groups a month at 10M rows, and SQLite's GROUP BY sorts every one. These hold
 * the same sums over spans of 1, 2, 4 and 8 months, at a narrow grain without the billing period,
 * invoice, source, region and charge type, so any range of whole months is at most a few spans of
 * a few thousand groups. Only counted rows are in them (not 'pending', not 'estimated'): reads that
 * include estimates, or group or filter on a column they lack, read the detail table.
 */
export const SPAN_RESOURCE_GROUP: AggregateTable = {
  name: 'cost_span_resource_group',
  keyColumns: ['span', 'billing_account_id', 'x_cloud', 'x_customer_id', 'sub_account_id', 'x_resource_group', 'service_name', 'billing_currency'],
  primaryKey: ['span', 'x_resource_group', 'agg_key'],
};
/** Without the customer (a meter is used by most customers): readable by scopes that see whole accounts. */
export const SPAN_METER: AggregateTable = {
  name: 'cost_span_meter',
  keyColumns: ['span', 'billing_account_id', 'x_cloud', 'x_meter_id', 'service_name', 'billing_currency'],
  primaryKey: ['span', 'x_meter_id', 'agg_key'],
};
/** In the order of AggregateDeltas.spans. */
export const SPAN_TABLES: readonly AggregateTable[] = [SPAN_RESOURCE_GROUP, SPAN_METER];

/** Sources the span tables leave out: every cost query leaves out 'pending'; 'estimated' unless asked. */
const UNCOUNTED_IN_SPANS: ReadonlySet<string> = new Set(['pending', 'estimated']);
/** The detail groups the span tables hold, as a condition on x_source. */
export const COUNTED_IN_SPANS = `x_source NOT IN (${[...UNCOUNTED_IN_SPANS].map((u) => `'${u}'`).join(', ')})`;
/** Span lengths in months; a span starts at a multiple of its length counted from 2000-01. */
const SPAN_MONTHS = [1, 2, 4, 8] as const;

function monthIndex(month: string): number {
  return (Number(month.slice(0, 4)) - 2000) * 12 + Number(month.slice(5, 7)) - 1;
}

function spanLabel(start: number, months: number): string {
  const year = 2000 + Math.floor(start / 12);
  const month = start - (year - 2000) * 12 + 1;
  return `${year}-${String(month).padStart(2, '0')}/${months}`;
}

/** A span's length in months, from its label. */
export function spanMonths(span: string): number {
  return Number(span.slice(span.indexOf('/') + 1));
}

/** The four spans that hold a month ('YYYY-MM/n': first month, length). */
export function spansOfMonth(month: string): string[] {
  const i = monthIndex(month);
  return SPAN_MONTHS.map((n) => spanLabel(i - (((i % n) + n) % n), n));
}

/** The fewest spans that together cover the months from..to (YYYY-MM, inclusive), longest first at each step. */
export function spansCovering(fromMonth: string, toMonth: string): string[] {
  const spans: string[] = [];
  const end = monthIndex(toMonth);
  for (let i = monthIndex(fromMonth); i <= end; ) {
    const n = [...SPAN_MONTHS].reverse().find((len) => ((i % len) + len) % len === 0 && i + len - 1 <= end)!;
    spans.push(spanLabel(i, n));
    i += n;
  }
  return spans;
}

/** What one line item contributes, read from a CostRow or from a cost_line_item row. */
export interface AggregatedRow {
  /** Values of LIGHT_KEY_COLUMNS, in that order. */
  light: string[];
  day: string;
  resourceGroup: string;
  meterId: string;
  tags: string | null;
  billed: string;
  list: string | null;
}

export function aggregatedRowOf(r: CostRow): AggregatedRow {
  return {
    light: [
      r.billingAccountId,
      r.billingPeriodStart,
      r.xCloud,
      r.xCustomerId,
      r.subAccountId,
      r.serviceName,
      r.regionId,
      r.xChargeType,
      r.invoiceId ?? '',
      r.xSource,
      r.billingCurrency,
    ],
    day: r.chargePeriodStart,
    resourceGroup: r.xResourceGroup,
    meterId: r.xMeterId,
    tags: r.tags,
    billed: r.billedCost,
    list: r.xListCost,
  };
}

/** The cost_line_item columns `aggregatedRowFromRaw` reads (amounts as text on both databases). */
export const RAW_AGGREGATE_COLUMNS =
  LIGHT_KEY_COLUMNS.map((c) => (c === 'invoice_id' ? "COALESCE(invoice_id, '') AS invoice_id" : c)).join(', ') +
  ', charge_period_start, x_resource_group, x_meter_id, tags, CAST(billed_cost AS TEXT) AS billed_cost, CAST(x_list_cost AS TEXT) AS x_list_cost';

export function aggregatedRowFromRaw(r: Record<string, unknown>): AggregatedRow {
  return {
    light: LIGHT_KEY_COLUMNS.map((c) => String(r[c] ?? '')),
    day: String(r.charge_period_start),
    resourceGroup: String(r.x_resource_group ?? ''),
    meterId: String(r.x_meter_id ?? ''),
    tags: r.tags === null || r.tags === undefined ? null : String(r.tags),
    billed: String(r.billed_cost),
    list: r.x_list_cost === null || r.x_list_cost === undefined ? null : String(r.x_list_cost),
  };
}

/**
 * A group's running sums. While every sum is a safe integer they are plain numbers — billed l0, l1,
 * l2 then list l0, l1, l2, added per row without carrying (carried when written) — which costs no
 * BigInt allocation per row and table. A group whose sums would leave the safe integers (or that
 * receives an amount `limbNumbers` cannot take, or stored limb sums at month close) moves to `big`:
 * billed and list as floor(value · 10^24) BigInts, exact at any size.
 */
interface Group {
  values: string[];
  sums: number[];
  big?: [bigint, bigint];
  count: number;
}

/** A row's signed contribution: its six limbs as numbers, or (when too large for them) billed and list scaled by 10^24. */
type Contribution = { limbs: number[]; big?: undefined } | { limbs?: undefined; big: [bigint, bigint] };

function contributionOf(billed: string, list: string | null, sign: 1 | -1): Contribution {
  const b = limbNumbers(billed);
  const l = list === null ? ZERO_LIMBS : limbNumbers(list);
  if (b && l) return { limbs: [sign * b[0], sign * b[1], sign * b[2], sign * l[0], sign * l[1], sign * l[2]] };
  const s = BigInt(sign);
  return { big: [s * scaledBy1e24(billed), list === null ? 0n : s * scaledBy1e24(list)] };
}
const ZERO_LIMBS: [number, number, number] = [0, 0, 0];

/** Stored limb sums (any size, as text or number) as floor(value · 10^24). */
function scaledOfStoredLimbs(l: readonly (string | number)[]): bigint {
  return BigInt(l[0]) * 10n ** 18n + BigInt(l[1]) * 10n ** 9n + BigInt(l[2]);
}

function bigOf(sums: readonly number[]): [bigint, bigint] {
  return [scaledOfLimbNumbers(sums[0], sums[1], sums[2]), scaledOfLimbNumbers(sums[3], sums[4], sums[5])];
}

/** Adds a contribution to a group: in numbers while the sums stay exact, in BigInts from then on. */
function addTo(g: Group, c: Contribution, count: number): void {
  g.count += count;
  const s = g.sums;
  if (g.big === undefined && c.limbs) {
    const l = c.limbs;
    const b0 = s[0] + l[0];
    const l0 = s[3] + l[3];
    // l1, l2 sums grow by < 10^9 a row: they cannot leave the safe integers within one write.
    if (Number.isSafeInteger(b0) && Number.isSafeInteger(l0)) {
      s[0] = b0;
      s[1] += l[1];
      s[2] += l[2];
      s[3] = l0;
      s[4] += l[4];
      s[5] += l[5];
      return;
    }
  }
  const big = (g.big ??= bigOf(s));
  const add = c.big ?? bigOf(c.limbs);
  big[0] += add[0];
  big[1] += add[1];
}

/** The six limbs a group writes, carried (0 ≤ l1, l2 < 10^9) as `limbsOfScaled` gives them. */
function limbsToWrite(g: Group): (number | bigint)[] {
  if (g.big) return [...limbsOfScaled(g.big[0]), ...limbsOfScaled(g.big[1])];
  const s = g.sums;
  return [...normalizedLimbNumbers(s[0], s[1], s[2]), ...normalizedLimbNumbers(s[3], s[4], s[5])];
}

/** A group on its way to a table: its key hash and carried limbs. */
interface Keyed {
  g: Group;
  key: string;
  limbs: (number | bigint)[];
}

/**
 * SQLite: tables whose groups a write mostly finds already there — a month's group is written again
 * on every day of the month — are updated by primary key first and inserted only when missing, which
 * measured 1.6–2.6× faster than the upsert (that binds and copies the whole grain) when most groups
 * exist, and about as fast when none do. The daily tables mostly insert (a new day) and keep the upsert.
 */
const UPDATED_FIRST = new Set<AggregateTable>([MONTHLY_ROLLUP, MONTHLY_DETAIL, MONTHLY_TAG, SPAN_RESOURCE_GROUP, SPAN_METER]);

/** Aggregate rows re-keyed per statement at month close (at most; SQLite sizes its batches by time). */
const MOVE_BATCH = 2000;
const TAG_MEMO_LIMIT = 10_000;

/**
 * Signed contributions of line items, summed per key of each aggregate table. Amounts are added as
 * limbs (in numbers while exact, else as floor(value · 10^24) BigInts, see Group) and carried only
 * when written, which equals adding each row's limbs (limbs are linear).
 */
export class AggregateDeltas {
  readonly groups: Map<string, Group>[] = AGGREGATE_TABLES.map(() => new Map());
  /** Groups of SPAN_TABLES: derived from the detail groups when applied, or added from stored detail rows. */
  readonly spans: Map<string, Group>[] = SPAN_TABLES.map(() => new Map());
  private spansDerived = false;
  private readonly tagMemo = new Map<string, [string, string][]>();

  add(row: AggregatedRow, sign: 1 | -1): void {
    const c = contributionOf(row.billed, row.list, sign);
    const light = row.light.join(SEP);
    const month = row.day.slice(0, 7);
    const [daily, monthly, detail, tag, dailyTotal] = this.groups;
    // Each key string is the grain's values joined by SEP, in keyColumns order (aggregateKeyOf hashes the same text).
    this.bump(daily, `${row.day}${SEP}${light}`, c, sign, row, row.day);
    const monthKey = `${month}${SEP}${light}`;
    this.bump(monthly, monthKey, c, sign, row, month);
    this.bump(detail, `${monthKey}${SEP}${row.resourceGroup}${SEP}${row.meterId}`, c, sign, row, month, row.resourceGroup, row.meterId);
    const l = row.light;
    const narrow = `${row.day}${SEP}${l[0]}${SEP}${l[1]}${SEP}${l[2]}${SEP}${l[3]}${SEP}${l[8]}${SEP}${l[9]}${SEP}${l[10]}`;
    let total = dailyTotal.get(narrow);
    if (!total) dailyTotal.set(narrow, (total = { values: [row.day, ...NARROW_LIGHT.map((i) => l[i])], sums: [0, 0, 0, 0, 0, 0], count: 0 }));
    addTo(total, c, sign);
    for (const [k, v] of this.tagsOf(row.tags)) {
      this.bump(tag, `${monthKey}${SEP}${row.resourceGroup}${SEP}${k}${SEP}${v}`, c, sign, row, month, row.resourceGroup, k, v);
    }
  }

  /** Adds an existing group's amounts (limb sums as stored) under new values: month close moves groups this way. */
  addGroup(table: number, values: string[], billed: readonly (string | number)[], list: readonly (string | number)[], count: number): void {
    const text = values.join(SEP);
    let g = this.groups[table].get(text);
    if (!g) this.groups[table].set(text, (g = { values, sums: [0, 0, 0, 0, 0, 0], count: 0 }));
    // Stored sums can be any size: always the BigInt path.
    addTo(g, { big: [scaledOfStoredLimbs(billed), scaledOfStoredLimbs(list)] }, count);
  }

  /**
   * Adds a stored detail group's amounts (limb sums as stored), times `sign`, to the spans of its
   * month: a detail group that is deleted or moved leaves the spans this way.
   */
  addStoredDetailToSpans(values: readonly string[], billed: readonly (string | number)[], list: readonly (string | number)[], count: number, sign: 1 | -1): void {
    const s = BigInt(sign);
    this.addDetailToSpans(values, { big: [s * scaledOfStoredLimbs(billed), s * scaledOfStoredLimbs(list)] }, sign * count);
  }

  /**
   * Once per deltas: every detail group's sums also go to the span groups of its month — eight
   * groups each, so in the write's slices (a page's detail groups are thousands).
   */
  async deriveSpans(slicer: LoopSlicer): Promise<void> {
    if (this.spansDerived) return;
    this.spansDerived = true;
    for (const g of this.groups[DETAIL_INDEX].values()) {
      if (slicer.due()) await slicer.next();
      this.addDetailToSpans(g.values, g.big ? { big: [g.big[0], g.big[1]] } : { limbs: g.sums }, g.count);
    }
  }

  get size(): number {
    return this.groups.reduce((n, g) => n + g.size, 0) + this.spans.reduce((n, g) => n + g.size, 0);
  }

  clear(): void {
    for (const g of this.groups) g.clear();
    for (const g of this.spans) g.clear();
    this.spansDerived = false;
  }

  /** Detail values: month, LIGHT_KEY_COLUMNS (1–11), resource group (12), meter (13). */
  private addDetailToSpans(d: readonly string[], c: Contribution, count: number): void {
    if (UNCOUNTED_IN_SPANS.has(d[10])) return;
    const [rgSpans, meterSpans] = this.spans;
    for (const span of spansOfMonth(d[0])) {
      this.bumpValues(rgSpans, [span, d[1], d[3], d[4], d[5], d[12], d[6], d[11]], c, count);
      this.bumpValues(meterSpans, [span, d[1], d[3], d[13], d[6], d[11]], c, count);
    }
  }

  private bumpValues(map: Map<string, Group>, values: string[], c: Contribution, count: number): void {
    const key = values.join(SEP);
    let g = map.get(key);
    if (!g) map.set(key, (g = { values, sums: [0, 0, 0, 0, 0, 0], count: 0 }));
    addTo(g, c, count);
  }

  /** Adds to the group of `key`; its values (time bucket, light values, then `extra`) are built only for a new group. */
  private bump(map: Map<string, Group>, key: string, c: Contribution, sign: number, row: AggregatedRow, time: string, ...extra: string[]): void {
    let g = map.get(key);
    if (!g) map.set(key, (g = { values: [time, ...row.light, ...extra], sums: [0, 0, 0, 0, 0, 0], count: 0 }));
    addTo(g, c, sign);
  }

  /**
   * A row's tags as (key, value) pairs, the way the raw read sees them: a value that is missing,
   * null or '' belongs to the '' bucket, which the tag table does not hold (queries derive it as the
   * total minus the tagged values), so it is left out here.
   */
  private tagsOf(tags: string | null): [string, string][] {
    if (!tags || tags === '{}') return [];
    let pairs = this.tagMemo.get(tags);
    if (pairs) return pairs;
    pairs = [];
    try {
      const parsed: unknown = JSON.parse(tags);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
          if (v === null || v === undefined) continue;
          const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
          if (text !== '') pairs.push([k, text]);
        }
      }
    } catch {
      // Not JSON: the raw read's json_extract sees no tag either.
    }
    if (this.tagMemo.size >= TAG_MEMO_LIMIT) this.tagMemo.clear();
    this.tagMemo.set(tags, pairs);
    return pairs;
  }
}

/**
 * Writes AggregateDeltas into the tables (INSERT … ON CONFLICT add), removes groups whose row count
 * fell to zero, and does the month-close moves inside the aggregates. Runs inside the caller's
 * transaction, under the caller's write lock.
 */
export class AggregateWriter {
  private readonly dialect: SqlDialect;
  private readonly sqliteStatements = new Map<string, SqliteStatement>();
  private readonly fullUpserts = new Map<string, string>();

  constructor(private readonly ds: DataSource) {
    this.dialect = dialectOf(ds);
  }

  /**
   * `slicer`: the caller's, when this is one step of a longer synchronous write (the whole write then
   * shares one time budget per slice); `only`: one table's groups.
   */
  async apply(em: EntityManager, deltas: AggregateDeltas, { only, slicer = new LoopSlicer() }: { only?: number; slicer?: LoopSlicer } = {}): Promise<void> {
    const withSpans = only === undefined || only === DETAIL_INDEX;
    if (withSpans) await deltas.deriveSpans(slicer);
    const writes: [AggregateTable, Map<string, Group>][] = [
      ...AGGREGATE_TABLES.map((table, t): [AggregateTable, Map<string, Group>] => [table, deltas.groups[t]]).filter((_, t) => only === undefined || t === only),
      ...(withSpans ? SPAN_TABLES.map((table, t): [AggregateTable, Map<string, Group>] => [table, deltas.spans[t]]) : []),
    ];
    for (const [table, groups] of writes) {
      const keyed: Keyed[] = [];
      for (const [text, g] of groups) {
        // Hashing and carrying a page's groups is ~3 µs each: in slices too (embedded mode).
        if (slicer.due()) await slicer.next();
        const limbs = limbsToWrite(g);
        if (g.count !== 0 || limbs.some((l) => l !== 0 && l !== 0n)) keyed.push({ g, key: aggregateKeyOf(text), limbs });
      }
      if (keyed.length === 0) continue;
      // Limbs bind as numbers (SQLite stores them as integers: the columns' affinity, also for `excluded`) or BigInts.
      const rowOf = ({ g, key, limbs }: Keyed): unknown[] => [key, ...g.values, ...limbs, g.count];
      const primaryKeyOf = ({ g, key }: Keyed): unknown[] => table.primaryKey.map((c) => (c === 'agg_key' ? key : g.values[table.keyColumns.indexOf(c)]));
      const shrunk = keyed.filter(({ g }) => g.count < 0).map(primaryKeyOf);
      if (this.dialect.name === 'sqlite') {
        const upsert = this.sqliteStatement(`upsert:${table.name}`, () => this.upsertSql(table, 1));
        const update = UPDATED_FIRST.has(table) ? this.sqliteStatement(`update:${table.name}`, () => this.addToExistingSql(table)) : undefined;
        for (const k of keyed) {
          // Synchronous writes in slices: the embedded mode's requests get the event loop in between.
          if (slicer.due()) await slicer.next();
          if (update && update.run([...k.limbs, k.g.count, ...primaryKeyOf(k)]).changes === 1) continue;
          upsert.run(rowOf(k));
        }
        const drop = this.sqliteStatement(`drop:${table.name}`, () => this.dropEmptySql(table, 1));
        for (const values of shrunk) {
          if (slicer.due()) await slicer.next();
          drop.run(values);
        }
        continue;
      }
      // Statements of PG_ROWS_PER_STATEMENT groups: each is built and bound in one synchronous step.
      const per = rowsPerStatement(this.dialect, 1 + table.keyColumns.length + AMOUNT_COLUMNS.length);
      const conn = pgConnectionOf(em);
      for (let i = 0; i < keyed.length; i += per) {
        const chunk = keyed.slice(i, i + per);
        const values: unknown[] = [];
        // BigInts travel as text: node-postgres does not bind BigInt.
        for (const g of chunk) for (const v of rowOf(g)) values.push(typeof v === 'bigint' ? v.toString() : v);
        // A full-size statement is built once and prepared once per connection (named), as the raw rows' upsert is.
        if (conn && chunk.length === per) await conn.query({ name: `meridian_${table.name}_upsert_${per}`, text: this.fullUpsertSql(table, per), values });
        else await em.query(this.upsertSql(table, chunk.length), values);
      }
      const perDrop = rowsPerStatement(this.dialect, table.primaryKey.length);
      for (let i = 0; i < shrunk.length; i += perDrop) {
        const chunk = shrunk.slice(i, i + perDrop);
        await em.query(this.dropEmptySql(table, chunk.length), chunk.flat());
      }
    }
  }

  /**
   * PostgreSQL: a transaction that changes an account's raw rows takes this lock first, so two writers
   * cannot both read "no stored row" for one key and add it twice, and a rebuild of a period does not
   * interleave with deltas. Taken in account order (no deadlock). SQLite has one writer and needs nothing.
   */
  async lockAccounts(em: EntityManager, accountIds: Iterable<string>): Promise<void> {
    if (this.dialect.name !== 'postgres') return;
    for (const a of [...new Set(accountIds)].sort()) await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`aggregates:${a}`]);
  }

  /**
   * Adds (`sign` 1) or subtracts (-1) the contribution of every raw row matching `where`, read in
   * windows of the account's primary key with deltas written per window (memory bounded by one
   * window's groups). Returns how many rows matched. `where` names the account first
   * (`billing_account_id = ` the first parameter).
   *
   * A window is a range of the account's natural keys, found by walking the key index alone: each
   * statement then reads at most that many rows, however few of them match. A keyset read of "the
   * next N matching rows" walked every row that did not match before it found them: removing what an
   * unbilled read did not rewrite (nearly every row was rewritten) read the account's whole key range
   * in one statement, 110 ms for a 44k-row account and 3.7 s cold for a 397k-row one, all of it an
   * event-loop block on SQLite.
   */
  async applyRawRows(em: EntityManager, where: string, params: readonly unknown[], sign: 1 | -1, batch: number, slicer = new LoopSlicer()): Promise<number> {
    if (!where.startsWith(`billing_account_id = ${this.p(1)}`)) throw new Error(`applyRawRows: the condition must start with the account: ${where}`);
    let after: string | undefined;
    let count = 0;
    // Each window's statements are synchronous on SQLite: sized by time there (`batch` at most).
    const size = this.dialect.name === 'sqlite' ? new AdaptiveBatch(slicer.budgetMs, 500, 50, batch) : undefined;
    for (;;) {
      const window = size?.size ?? batch;
      await slicer.pause();
      const started = performance.now();
      const [end]: { k: string }[] = await em.query(
        `SELECT x_natural_key AS k FROM cost_line_item WHERE billing_account_id = ${this.p(1)}${after === undefined ? '' : ` AND x_natural_key > ${this.p(2)}`} ` +
          `ORDER BY x_natural_key LIMIT 1 OFFSET ${window - 1}`,
        after === undefined ? [params[0]] : [params[0], after],
      );
      const range = [...(after === undefined ? [] : [after]), ...(end ? [end.k] : [])];
      const bounds =
        (after === undefined ? '' : ` AND x_natural_key > ${this.p(params.length + 1)}`) +
        (end ? ` AND x_natural_key <= ${this.p(params.length + range.length)}` : '');
      const rows: Record<string, unknown>[] = await em.query(`SELECT ${RAW_AGGREGATE_COLUMNS} FROM cost_line_item WHERE ${where}${bounds}`, [...params, ...range]);
      size?.record(window, performance.now() - started);
      if (rows.length > 0) {
        const deltas = new AggregateDeltas();
        for (const r of rows) {
          if (slicer.due()) await slicer.next();
          deltas.add(aggregatedRowFromRaw(r), sign);
        }
        await this.apply(em, deltas, { slicer });
        count += rows.length;
      }
      if (!end) return count;
      after = end.k;
    }
  }

  /** Drops an account's aggregate rows of a billing period and source (the raw rows went the same way). */
  async deleteSource(em: EntityManager, accountId: string, billingPeriodStart: string, source: string, slicer = new LoopSlicer()): Promise<void> {
    const where = `billing_account_id = ${this.p(1)} AND billing_period_start = ${this.p(2)} AND x_source = ${this.p(3)}`;
    // The span tables have no period or source: what leaves them is read from the detail first.
    await this.detailToSpans(em, where, [accountId, billingPeriodStart, source], -1, slicer);
    for (const t of AGGREGATE_TABLES) {
      await changeInSlices(em, this.dialect, { table: t.name, where, params: [accountId, billingPeriodStart, source] }, slicer);
    }
  }

  /**
   * Month close inside the aggregates: the invoice's groups of the given billing periods move from
   * one source to another, added to what is there (their key hashes change with the source, so they
   * are re-keyed here, a batch at a time).
   */
  async moveSource(
    em: EntityManager,
    { accountId, periods, invoiceId, from, to }: { accountId: string; periods: readonly string[]; invoiceId: string; from: string; to: string },
    slicer = new LoopSlicer(),
  ): Promise<void> {
    // SQLite: each batch's SELECT and DELETE are synchronous statements, sized by time.
    const batch = this.dialect.name === 'sqlite' ? new AdaptiveBatch(slicer.budgetMs, 200, 20, MOVE_BATCH) : undefined;
    // By (account, period, source), the tables' index: moved groups leave the range, so each batch starts at the next ones.
    const where = `billing_account_id = ${this.p(1)} AND billing_period_start = ${this.p(2)} AND x_source = ${this.p(3)} AND invoice_id = ${this.p(4)}`;
    for (let t = 0; t < AGGREGATE_TABLES.length; t++) {
      const table = AGGREGATE_TABLES[t];
      const cols = [...table.keyColumns, 'agg_key', ...AMOUNT_COLUMNS.map((c) => `CAST(${c} AS TEXT) AS ${c}`)].join(', ');
      for (const period of periods) {
        for (;;) {
          await slicer.pause();
          const started = performance.now();
          const rows: Record<string, string>[] = await em.query(`SELECT ${cols} FROM ${table.name} WHERE ${where} LIMIT ${batch?.size ?? MOVE_BATCH}`, [
            accountId,
            period,
            from,
            invoiceId,
          ]);
          let statementsMs = performance.now() - started;
          if (rows.length === 0) break;
          const deltas = new AggregateDeltas();
          for (const r of rows) {
            if (slicer.due()) await slicer.next();
            const values = table.keyColumns.map((c) => String(r[c]));
            const billed = [r.billed_l0, r.billed_l1, r.billed_l2];
            const list = [r.list_l0, r.list_l1, r.list_l2];
            // The detail group leaves its spans under its old source; apply adds it under the new one.
            if (t === DETAIL_INDEX) deltas.addStoredDetailToSpans([...values], billed, list, Number(r.row_count), -1);
            values[table.keyColumns.indexOf('x_source')] = to;
            deltas.addGroup(t, values, billed, list, Number(r.row_count));
          }
          const n = table.primaryKey.length;
          const tuples = rows.map((_, i) => `(${placeholders(this.dialect, n, i * n)})`).join(', ');
          await slicer.pause();
          const deleting = performance.now();
          await em.query(`DELETE FROM ${table.name} WHERE (${table.primaryKey.join(', ')}) IN (VALUES ${tuples})`, rows.flatMap((r) => table.primaryKey.map((c) => r[c])));
          statementsMs += performance.now() - deleting;
          // The next batch is sized so that its SELECT and DELETE fit one slice together.
          batch?.record(rows.length, statementsMs);
          await this.apply(em, deltas, { only: t, slicer });
        }
      }
    }
  }

  /**
   * Adds (`sign` 1) or subtracts (-1) the stored detail groups matching `where` to or from the span
   * tables, read in keyset batches (SQLite: sized by time). Groups of sources the spans leave out
   * are skipped.
   */
  async detailToSpans(em: EntityManager, where: string, params: readonly unknown[], sign: 1 | -1, slicer = new LoopSlicer()): Promise<void> {
    const cols = [...MONTHLY_DETAIL.keyColumns, 'agg_key', ...AMOUNT_COLUMNS.map((c) => `CAST(${c} AS TEXT) AS ${c}`)].join(', ');
    const batch = this.dialect.name === 'sqlite' ? new AdaptiveBatch(slicer.budgetMs, 500, 50, MOVE_BATCH) : undefined;
    // Keyset on the primary key (charge_month, agg_key): a whole table is read in its key's order, no sort.
    let after: [string, string] | undefined;
    for (;;) {
      const limit = batch?.size ?? MOVE_BATCH;
      await slicer.pause();
      const started = performance.now();
      const keyset = after === undefined ? '' : ` AND (charge_month, agg_key) > (${this.p(params.length + 1)}, ${this.p(params.length + 2)})`;
      const rows: Record<string, string>[] = await em.query(
        `SELECT ${cols} FROM ${MONTHLY_DETAIL.name} WHERE ${where} AND ${COUNTED_IN_SPANS}${keyset} ORDER BY charge_month, agg_key LIMIT ${limit}`,
        after === undefined ? [...params] : [...params, ...after],
      );
      batch?.record(rows.length, performance.now() - started);
      if (rows.length === 0) return;
      const deltas = new AggregateDeltas();
      for (const r of rows) {
        if (slicer.due()) await slicer.next();
        const values = MONTHLY_DETAIL.keyColumns.map((c) => String(r[c]));
        deltas.addStoredDetailToSpans(values, [r.billed_l0, r.billed_l1, r.billed_l2], [r.list_l0, r.list_l1, r.list_l2], Number(r.row_count), sign);
      }
      await this.apply(em, deltas, { only: DETAIL_INDEX, slicer });
      if (rows.length < limit) return;
      const last = rows[rows.length - 1];
      after = [last.charge_month, last.agg_key];
    }
  }

  /** Recomputes the span tables (of one account, or all) from the monthly detail. */
  async rebuildSpans(em: EntityManager, accountId?: string): Promise<void> {
    const slicer = new LoopSlicer();
    const where = accountId ? `billing_account_id = ${this.p(1)}` : '1 = 1';
    const params = accountId ? [accountId] : [];
    for (const t of SPAN_TABLES) {
      // WITHOUT ROWID on SQLite (the migration): rows are named by their primary key.
      await changeInSlices(em, this.dialect, { table: t.name, where, params, key: t.primaryKey }, slicer);
    }
    await this.detailToSpans(em, where, params, 1, slicer);
  }

  /** Empties every aggregate of one account's billing period (a rebuild follows). */
  async deletePeriod(em: EntityManager, accountId: string, billingPeriodStart: string, slicer = new LoopSlicer()): Promise<void> {
    const where = `billing_account_id = ${this.p(1)} AND billing_period_start = ${this.p(2)}`;
    await this.detailToSpans(em, where, [accountId, billingPeriodStart], -1, slicer);
    for (const t of AGGREGATE_TABLES) {
      await changeInSlices(em, this.dialect, { table: t.name, where, params: [accountId, billingPeriodStart] }, slicer);
    }
  }

  /** Releases prepared statements (before the connection closes). */
  dispose(): void {
    this.sqliteStatements.clear();
  }

  private sqliteStatement(name: string, sql: () => string): SqliteStatement {
    let stmt = this.sqliteStatements.get(name);
    if (!stmt) this.sqliteStatements.set(name, (stmt = sqliteConnection(this.ds).prepare(sql())));
    return stmt;
  }

  /** upsertSql of a full-size PostgreSQL statement, built once per table. */
  private fullUpsertSql(t: AggregateTable, rows: number): string {
    const name = `${t.name}:${rows}`;
    let sql = this.fullUpserts.get(name);
    if (sql === undefined) this.fullUpserts.set(name, (sql = this.upsertSql(t, rows)));
    return sql;
  }

  private upsertSql(t: AggregateTable, rows: number): string {
    const cols = ['agg_key', ...t.keyColumns, ...AMOUNT_COLUMNS];
    const values = Array.from({ length: rows }, (_, r) => `(${placeholders(this.dialect, cols.length, r * cols.length)})`).join(', ');
    return `INSERT INTO ${t.name} (${cols.join(', ')}) VALUES ${values} ${this.onConflictAdd(t)}`;
  }

  /** Adds to an existing group by its primary key (binds 7 amounts and the key, not the whole grain). */
  private addToExistingSql(t: AggregateTable): string {
    const set = AMOUNT_COLUMNS.map((c) => `${c} = ${c} + ?`).join(', ');
    return `UPDATE ${t.name} SET ${set} WHERE ${t.primaryKey.map((c) => `${c} = ?`).join(' AND ')}`;
  }

  private onConflictAdd(t: AggregateTable): string {
    return `ON CONFLICT (${t.primaryKey.join(', ')}) DO UPDATE SET ${AMOUNT_COLUMNS.map((c) => `${c} = ${t.name}.${c} + excluded.${c}`).join(', ')}`;
  }

  private dropEmptySql(t: AggregateTable, rows: number): string {
    const n = t.primaryKey.length;
    const tuples = Array.from({ length: rows }, (_, r) => `(${placeholders(this.dialect, n, r * n)})`).join(', ');
    return `DELETE FROM ${t.name} WHERE row_count = 0 AND (${t.primaryKey.join(', ')}) IN (VALUES ${tuples})`;
  }

  private p(n: number): string {
    return this.dialect.param(n);
  }
}
