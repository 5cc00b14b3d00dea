import { CostDimension } from '@meridian/contracts';
import { fromLimbSums, GroupedAmount, GroupedSum, normalizeDecimal, sumDecimals, type FocusSourceRow } from '@meridian/finops';
import { DataSource, EntityManager } from 'typeorm';
import { AccessScope } from '../access-scope';
import { CostLineItemEntity, CostRow } from '../entities/cost-line-item.entity';
import { DataSourceReader, RowTable, StoreReader } from '../sqlite-read-pool';
import {
  AggregateDeltas,
  AggregateTable,
  aggregatedRowFromRaw,
  aggregatedRowOf,
  AggregateWriter,
  DAILY_ROLLUP,
  DAILY_TOTAL,
  MONTHLY_DETAIL,
  MONTHLY_ROLLUP,
  MONTHLY_TAG,
  RAW_AGGREGATE_COLUMNS,
  SPAN_METER,
  SPAN_RESOURCE_GROUP,
  spansCovering,
  spanMonths,
} from './cost-aggregates';
import { addDays, CostReadSegment, CostReadSource, coversMostOfSpan, lastDayOfMonth, planCostRead } from './cost-read-plan';
import { exactSum } from './exact-sum';
import { changeInSlices } from './sliced-change';
import { AdaptiveBatch, LoopSlicer, yieldToEventLoop } from './yield';
import { QueryCache } from './query-cache';
import { dialectOf, pgConnectionOf, placeholders, rowsPerStatement, SqlDialect, SqliteStatement, sqliteConnection } from './sql-dialect';
import { WriteLock } from './write-lock';

/** SQL column behind each breakdown dimension (`tag` depends on the key: see dimensionSql). */
export const DIMENSION_COLUMNS: Record<Exclude<CostDimension, 'tag'>, string> = {
  service: 'service_name',
  region: 'region_id',
  account: 'billing_account_id',
  cloud: 'x_cloud',
  customer: 'x_customer_id',
  subscription: 'sub_account_id',
  resourceGroup: 'x_resource_group',
  meter: 'x_meter_id',
  chargeType: 'x_charge_type',
  invoice: "COALESCE(invoice_id, '')",
};

/** How long an aggregate table's time span is trusted for choosing a full scan (only the plan depends on it). */
const TIME_SPAN_TTL_MS = 60_000;

/**
 * Each span table and the group of the dimension its primary key orders a span's groups by (the
 * key's second column, decision 0032): a read that groups by it is split into ranges of it, one per
 * read thread, and the parts hold different groups.
 */
const SPAN_PARTITIONS: Partial<Record<CostReadSource, { table: AggregateTable; group: CostGroup }>> = {
  spanResourceGroup: { table: SPAN_RESOURCE_GROUP, group: 'resourceGroup' },
  spanMeter: { table: SPAN_METER, group: 'meter' },
};
/** Span groups per part below which a read is not split: a part's round trip would cost more than it saves. */
const MIN_SPAN_GROUPS_PER_PART = 2_000;

/** A range of one column: from (inclusive) below (exclusive); an open end is unbounded. */
interface KeyRange {
  column: string;
  from?: string;
  below?: string;
}

/** Cells handled per event-loop task when a big answer is built (a few ms each). */
const CELLS_PER_SLICE = 1000;
/** A COMMIT is one synchronous write of the transaction's dirty pages on SQLite (a block of its own). */
const COMMIT_BUDGET_MS = 16;

/** x_source of billed rows written page by page, before their invoice replaces the unbilled ones. */
export const PENDING_SOURCE = 'pending';

/**
 * x_source of legacy Azure cost estimated from utilization × rate card: never billed figures.
 * Cost queries leave these rows out unless asked (docs/decisions/0013-prices-and-legacy-estimates.md).
 */
export const ESTIMATED_SOURCE = 'estimated';

/** A read's time condition: a range of its time column, or a list of span labels (span tables). */
type TimeCondition = { column: string; from: string; to: string } | { column: string; in: readonly string[] };

/** What a cost query can group by: a dimension, or a time bucket. */
export type CostGroup = CostDimension | 'day' | 'month';

/** The table behind each aggregate source of a read plan. */
const AGGREGATE_TABLE_OF: Record<Exclude<CostReadSource, 'raw'>, string> = {
  daily: DAILY_ROLLUP.name,
  dailyTotal: DAILY_TOTAL.name,
  monthly: MONTHLY_ROLLUP.name,
  detail: MONTHLY_DETAIL.name,
  tag: MONTHLY_TAG.name,
  spanResourceGroup: SPAN_RESOURCE_GROUP.name,
  spanMeter: SPAN_METER.name,
};
const SPAN_SOURCES: ReadonlySet<CostReadSource> = new Set<CostReadSource>(['spanResourceGroup', 'spanMeter']);

export interface CostFilter {
  from: string;
  to: string;
  includeSandbox: boolean;
  /** Values to keep, per dimension (drill-down). An empty list keeps nothing. */
  where?: Partial<Record<CostDimension, readonly string[]>>;
  /** The tag key behind the `tag` dimension (validated at the edge: letters, digits, " _.:-"). */
  tagKey?: string;
  /** Legacy Azure estimates (x_source 'estimated') are left out unless true. */
  includeEstimated?: boolean;
  /** Default: the aggregates where they can answer (docs/decisions/0017). 'raw' forces the line items (tests, benchmarks). */
  readFrom?: 'raw';
}

/** One raw line item as the API shows it (amount: partner cost, or list cost for customer views). */
export interface LineItemRow {
  accountId: string;
  key: string;
  day: string;
  cloud: string;
  customerId: string;
  customerName: string;
  subscriptionId: string;
  service: string;
  region: string;
  resourceGroup: string;
  resourceId: string;
  meter: string;
  chargeType: string;
  quantity: string;
  unit: string;
  amount: string;
  currency: string;
  invoiceId: string;
  source: string;
}

/** One raw line item with every column the FOCUS export maps: finops' row without the account's name and tenant (the export adds them). */
export type FocusLineItem = Omit<FocusSourceRow, 'accountName' | 'partnerTenantId'>;

/** Retention of one account's raw line items (docs/decisions/0023). */
export interface RetentionState {
  accountId: string;
  /** YYYY-MM: raw rows of billing periods before this month were pruned; their aggregates remain. */
  prunedBefore: string;
  prunedAt: string;
  rowsPruned: number;
  /** Rows of pruned periods that syncs delivered again and that were not written. */
  rowsSkipped: number;
}

/** One aggregated cell: key values in the order of the groups asked for. */
export interface CostCell {
  keys: string[];
  currency: string;
  amount: string;
  count: number;
}

export class CostRepository {
  private readonly dialect: SqlDialect;
  private readonly columns: { property: keyof CostRow; column: string }[];
  private readonly upsertSqlCache = new Map<number, string>();
  private readonly aggregates: AggregateWriter;
  /** Per aggregate table: its first and last time bucket (readsMostOf), until a moment. */
  private readonly timeSpans = new Map<string, { lo: string | null; hi: string | null; until: number }>();
  /** Per span table and span: where its groups are cut into equal parts (partsOf), until a moment. */
  private readonly spanCuts = new Map<string, { points: string[]; until: number }>();
  /** Rows per transaction of upsertInCommits: sized so that a COMMIT takes about COMMIT_BUDGET_MS. */
  private readonly commitRows = new AdaptiveBatch(COMMIT_BUDGET_MS, 2000, 250, 2000);

  constructor(
    private readonly ds: DataSource,
    private readonly writeLock: WriteLock,
    /** Aggregates by (scope, groups, filter); cleared on every write through this store. */
    readonly cache: QueryCache = new QueryCache(0),
    /** Where the long reads run (aggregates, line items): off the event loop on an SQLite file. */
    private readonly reads: StoreReader = new DataSourceReader(ds),
  ) {
    this.dialect = dialectOf(ds);
    this.aggregates = new AggregateWriter(ds);
    this.columns = ds
      .getMetadata(CostLineItemEntity)
      .columns.map((c) => ({ property: c.propertyName as keyof CostRow, column: c.databaseName }));
  }

  /**
   * The same rows and aggregates as `upsert`, in as many transactions as keep each COMMIT short on
   * SQLite, where a COMMIT writes every page the transaction dirtied, synchronously: at 10M rows a
   * 2,000-row sync page dirtied enough index and aggregate pages (random keys) for COMMITs of
   * 40–96 ms on the main thread. The rows per transaction follow the measured COMMIT time. A failure
   * leaves the earlier transactions in place, which is what a sync page needs: its checkpoint is
   * saved after it, so a resumed read upserts those rows again, by their natural key. PostgreSQL
   * commits off the event loop: one transaction, as `upsert`.
   */
  async upsertInCommits(rows: readonly CostRow[]): Promise<{ skippedPruned: number }> {
    if (this.dialect.name !== 'sqlite' || rows.length <= this.commitRows.size) return this.upsert(rows);
    let skippedPruned = 0;
    for (let i = 0; i < rows.length; ) {
      const chunk = rows.slice(i, i + this.commitRows.size);
      skippedPruned += (await this.upsert(chunk)).skippedPruned;
      i += chunk.length;
    }
    return { skippedPruned };
  }

  /**
   * Inserts or replaces rows by (billing_account_id, x_natural_key), all in one transaction, and
   * adds their contribution to the pre-aggregates in the same transaction (minus the contribution
   * of each row they replace). A key given twice ends up with its last row, as if the rows were
   * written one after the other.
   */
  async upsert(rows: readonly CostRow[]): Promise<{ skippedPruned: number }> {
    if (rows.length === 0) return { skippedPruned: 0 };
    this.cache.invalidate();
    let committing = 0;
    return this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        await this.aggregates.lockAccounts(
          em,
          rows.map((r) => r.billingAccountId),
        );
        // One time budget per slice for the whole write (SQLite's statements never yield by themselves).
        const slicer = new LoopSlicer();
        const kept = await this.withoutPrunedPeriods(em, rows);
        const deltas = new AggregateDeltas();
        await this.writeRows(em, kept, deltas, slicer);
        await this.aggregates.apply(em, deltas, { slicer });
        committing = performance.now();
        return { skippedPruned: rows.length - kept.length };
      }),
    ).then((result) => {
      this.commitRows.record(rows.length, performance.now() - committing);
      return result;
    });
  }

  /**
   * Retention (docs/decisions/0023): rows of a billing period whose raw rows were pruned are not
   * written again — the period's aggregates still hold them, and with no predecessor left to
   * subtract they would be counted twice. Counted on the account's retention row, never dropped
   * silently. Read inside the writer's transaction, after the account lock: a prune committed by
   * another process (the CLI) is seen.
   */
  private async withoutPrunedPeriods(em: EntityManager, rows: readonly CostRow[]): Promise<readonly CostRow[]> {
    if (rows.length === 0) return rows;
    const accounts = [...new Set(rows.map((r) => r.billingAccountId))];
    const marks: { a: string; b: string }[] = await em.query(
      `SELECT account_id AS a, pruned_before AS b FROM cost_retention WHERE account_id IN (${placeholders(this.dialect, accounts.length)})`,
      accounts,
    );
    if (marks.length === 0) return rows;
    const before = new Map(marks.map((m) => [m.a, `${m.b}-01`]));
    const skipped = new Map<string, number>();
    const kept = rows.filter((r) => {
      const mark = before.get(r.billingAccountId);
      if (mark === undefined || r.billingPeriodStart >= mark) return true;
      skipped.set(r.billingAccountId, (skipped.get(r.billingAccountId) ?? 0) + 1);
      return false;
    });
    for (const [account, n] of skipped) {
      await em.query(
        `UPDATE cost_retention SET rows_skipped = rows_skipped + ${this.dialect.param(1)} WHERE account_id = ${this.dialect.param(2)}`,
        [n, account],
      );
    }
    return kept;
  }

  /**
   * Retention (docs/decisions/0023): removes the account's raw line items of the billing periods
   * before `beforeMonth` (YYYY-MM), keeping every aggregate as it is, so totals, breakdowns and
   * trends of those months still answer. The watermark is recorded first, so from then on a sync
   * re-delivering those months is skipped; the rows go in small transactions (one charge day at a
   * time) so the embedded mode's event loop is never held long. The watermark only moves forward.
   */
  async pruneRawBefore(accountId: string, beforeMonth: string): Promise<{ prunedBefore: string; rows: number }> {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(beforeMonth)) throw new Error(`pruneRawBefore: expected YYYY-MM, got ${beforeMonth}`);
    const p = (n: number) => this.dialect.param(n);
    const prunedBefore = await this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        await this.aggregates.lockAccounts(em, [accountId]);
        const [mark] = (await em.query(`SELECT pruned_before AS b FROM cost_retention WHERE account_id = ${p(1)}`, [accountId])) as {
          b: string;
        }[];
        const next = mark && mark.b > beforeMonth ? mark.b : beforeMonth;
        const now = new Date().toISOString();
        if (mark)
          await em.query(`UPDATE cost_retention SET pruned_before = ${p(1)}, pruned_at = ${p(2)} WHERE account_id = ${p(3)}`, [
            next,
            now,
            accountId,
          ]);
        else
          await em.query(
            `INSERT INTO cost_retention (account_id, pruned_before, pruned_at, rows_pruned, rows_skipped) VALUES (${p(1)}, ${p(2)}, ${p(3)}, 0, 0)`,
            [accountId, next, now],
          );
        return next;
      }),
    );
    const days: { d: string }[] = await this.ds.query(
      `SELECT DISTINCT charge_period_start AS d FROM cost_line_item WHERE billing_account_id = ${p(1)} AND billing_period_start < ${p(2)} ORDER BY 1`,
      [accountId, `${prunedBefore}-01`],
    );
    let rows = 0;
    for (const { d } of days) {
      rows += await this.writeLock.run(() =>
        this.ds.transaction(async (em) => {
          const where = `billing_account_id = ${p(1)} AND billing_period_start < ${p(2)} AND charge_period_start = ${p(3)}`;
          const [{ n }] = (await em.query(`SELECT count(*) AS n FROM cost_line_item WHERE ${where}`, [
            accountId,
            `${prunedBefore}-01`,
            d,
          ])) as [{ n: string | number }];
          await em.query(`DELETE FROM cost_line_item WHERE ${where}`, [accountId, `${prunedBefore}-01`, d]);
          await em.query(`UPDATE cost_retention SET rows_pruned = rows_pruned + ${p(1)} WHERE account_id = ${p(2)}`, [
            Number(n),
            accountId,
          ]);
          return Number(n);
        }),
      );
      await yieldToEventLoop();
    }
    this.cache.invalidate();
    return { prunedBefore, rows };
  }

  /** Per account: the month before which raw rows were pruned, and what was pruned and skipped since. */
  async retention(accountIds?: readonly string[]): Promise<RetentionState[]> {
    if (accountIds && accountIds.length === 0) return [];
    const rows: { a: string; b: string; at: string; pruned: string | number; skipped: string | number }[] = await this.ds.query(
      `SELECT account_id AS a, pruned_before AS b, pruned_at AS at, rows_pruned AS pruned, rows_skipped AS skipped FROM cost_retention` +
        (accountIds ? ` WHERE account_id IN (${placeholders(this.dialect, accountIds.length)})` : '') +
        ' ORDER BY account_id',
      accountIds ? [...accountIds] : [],
    );
    return rows.map((r) => ({
      accountId: r.a,
      prunedBefore: r.b,
      prunedAt: r.at,
      rowsPruned: Number(r.pruned),
      rowsSkipped: Number(r.skipped),
    }));
  }

  /** Upserts rows inside the caller's transaction and records their aggregate deltas (old row out, new row in). */
  private async writeRows(em: EntityManager, rows: readonly CostRow[], deltas: AggregateDeltas, slicer: LoopSlicer): Promise<void> {
    if (this.dialect.name === 'sqlite') return this.upsertSqlite(rows, deltas, slicer);
    // One PostgreSQL statement may not update the same row twice: keep each key's last row.
    rows = lastPerKey(rows);
    // Statements of PG_ROWS_PER_STATEMENT rows: their parameters are serialized in one synchronous step.
    const perStatement = rowsPerStatement(this.dialect, this.columns.length);
    const conn = pgConnectionOf(em);
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      await this.subtractStoredRows(em, chunk, deltas, slicer);
      const params: unknown[] = [];
      for (const row of chunk) for (const c of this.columns) params.push(row[c.property]);
      // Full-size statements are prepared once per connection (named): PostgreSQL would parse and
      // plan a many-thousand-parameter INSERT again on every call otherwise.
      if (conn && chunk.length === perStatement) {
        await conn.query({ name: `meridian_cost_upsert_${perStatement}`, text: this.upsertSql(perStatement), values: params });
      } else await em.query(this.upsertSql(chunk.length), params);
      for (const row of chunk) {
        if (slicer.due()) await slicer.next();
        deltas.add(aggregatedRowOf(row), 1);
      }
    }
  }

  /** PostgreSQL: the stored rows these rows replace, subtracted from the aggregates. */
  private async subtractStoredRows(em: EntityManager, rows: readonly CostRow[], deltas: AggregateDeltas, slicer: LoopSlicer): Promise<void> {
    const byAccount = new Map<string, string[]>();
    for (const r of rows) (byAccount.get(r.billingAccountId) ?? byAccount.set(r.billingAccountId, []).get(r.billingAccountId)!).push(r.xNaturalKey);
    for (const [account, keys] of byAccount) {
      const stored: Record<string, unknown>[] = await em.query(
        `SELECT ${RAW_AGGREGATE_COLUMNS} FROM cost_line_item WHERE billing_account_id = $1 AND x_natural_key = ANY($2)`,
        [account, keys],
      );
      for (const r of stored) {
        if (slicer.due()) await slicer.next();
        deltas.add(aggregatedRowFromRaw(r), -1);
      }
    }
  }

  /**
   * SQLite, inside the transaction: one prepared single-row upsert run row after row on the
   * driver's connection (better-sqlite3 runs it synchronously: no statement to parse per page, no
   * thread hop per statement; single-row statements are cheaper for SQLite than multi-row VALUES
   * with ON CONFLICT). Each row's stored predecessor is read first (the same index pages the upsert
   * then touches) for the aggregate deltas. Rows run in order, so a key given twice keeps its last row.
   */
  private sqliteUpsert?: SqliteStatement;
  private sqliteStored?: SqliteStatement;
  private async upsertSqlite(rows: readonly CostRow[], deltas: AggregateDeltas, slicer: LoopSlicer): Promise<void> {
    const db = sqliteConnection(this.ds);
    const stmt = (this.sqliteUpsert ??= db.prepare(this.upsertSql(1)));
    const stored = (this.sqliteStored ??= db.prepare(`SELECT ${RAW_AGGREGATE_COLUMNS} FROM cost_line_item WHERE billing_account_id = ? AND x_natural_key = ?`));
    const cols = this.columns;
    const values: unknown[] = new Array(cols.length);
    const key: unknown[] = [undefined, undefined];
    for (let i = 0; i < rows.length; i++) {
      // better-sqlite3 is synchronous: a 2,000-row page in one go would hold the event loop (and
      // every dashboard request of the embedded mode) for ~100 ms or more; slices keep each hold short.
      if (slicer.due()) await slicer.next();
      const row = rows[i];
      key[0] = row.billingAccountId;
      key[1] = row.xNaturalKey;
      const old = stored.get(key) as Record<string, unknown> | undefined;
      if (old) deltas.add(aggregatedRowFromRaw(old), -1);
      for (let c = 0; c < cols.length; c++) values[c] = row[cols[c].property];
      stmt.run(values);
      deltas.add(aggregatedRowOf(row), 1);
    }
  }

  /** Removes an account's rows of one billing period and source, raw and aggregated, inside the caller's transaction. */
  private async deleteSource(em: EntityManager, accountId: string, billingPeriodStart: string, source: string, slicer: LoopSlicer): Promise<void> {
    const where = `billing_account_id = ${this.dialect.param(1)} AND billing_period_start = ${this.dialect.param(2)} AND x_source = ${this.dialect.param(3)}`;
    await changeInSlices(em, this.dialect, { table: 'cost_line_item', where, params: [accountId, billingPeriodStart, source] }, slicer);
    await this.aggregates.deleteSource(em, accountId, billingPeriodStart, source, slicer);
  }

  /** Releases the prepared statement (before the connection closes). */
  async dispose(): Promise<void> {
    this.sqliteUpsert = undefined;
    this.sqliteStored = undefined;
    this.aggregates.dispose();
  }

  /**
   * Billed rows win (docs/decisions/0009): removes the account's unbilled rows of every billing
   * period that has billed rows, and returns those periods. A period's estimates normally go in the
   * transaction that promotes its invoice's rows; this catches estimates an unbilled read wrote
   * while that promotion was committing (streams of one account may run side by side).
   */
  async deleteUnbilledOfBilledPeriods(accountId: string): Promise<string[]> {
    const p = (n: number) => this.dialect.param(n);
    return this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        const periods: { p: string }[] = await em.query(
          `SELECT DISTINCT billing_period_start AS p FROM cost_line_item WHERE billing_account_id = ${p(1)} AND x_source = 'billed' ` +
            `AND billing_period_start IN (SELECT billing_period_start FROM cost_line_item WHERE billing_account_id = ${p(2)} AND x_source = 'unbilled')`,
          [accountId, accountId],
        );
        if (periods.length) await this.aggregates.lockAccounts(em, [accountId]);
        const slicer = new LoopSlicer();
        for (const { p: period } of periods) await this.deleteSource(em, accountId, period, 'unbilled', slicer);
        if (periods.length) this.cache.invalidate();
        return periods.map((r) => r.p);
      }),
    );
  }

  /**
   * Removes the account's unbilled rows of a billing period that the given run did not write: after
   * a complete read of the period, anything older is an estimate Partner Center no longer reports.
   */
  async deleteUnbilledNotWrittenBy(accountId: string, billingPeriodStart: string, syncRunIds: string | readonly string[]): Promise<number> {
    const p = (n: number) => this.dialect.param(n);
    // Several runs when a Graph export was resumed by another run after a worker died.
    const runs = typeof syncRunIds === 'string' ? [syncRunIds] : [...syncRunIds];
    const where =
      `billing_account_id = ${p(1)} AND billing_period_start = ${p(2)} ` +
      `AND x_source = 'unbilled' AND x_sync_run_id NOT IN (${runs.map((_, i) => p(i + 3)).join(', ')})`;
    const params = [accountId, billingPeriodStart, ...runs];
    const removed = await this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        await this.aggregates.lockAccounts(em, [accountId]);
        const slicer = new LoopSlicer();
        const count = await this.aggregates.applyRawRows(em, where, params, -1, 5000, slicer);
        if (count > 0) await changeInSlices(em, this.dialect, { table: 'cost_line_item', where, params }, slicer);
        return count;
      }),
    );
    this.cache.invalidate();
    return removed;
  }

  /**
   * Month close (DESIGN §3): in one transaction, the period's unbilled estimates go and the
   * invoice's billed rows — written as 'pending' page by page, invisible until now — become
   * 'billed'. No reader ever sees both, or neither. Returns how many billed rows the invoice has
   * now: counted in the store, so rows written by an earlier run whose Graph export this run
   * resumed are counted as well.
   */
  async replaceUnbilledWithBilled(accountId: string, billingPeriodStart: string, invoiceId: string): Promise<number> {
    const p = (n: number) => this.dialect.param(n);
    return this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        await this.aggregates.lockAccounts(em, [accountId]);
        // A pruned period (retention): its aggregates are all that is left of it, billed or not; a
        // backfill's billed rows of it were skipped, so nothing may be moved or deleted here.
        const [pruned] = await em.query(`SELECT 1 AS x FROM cost_retention WHERE account_id = ${p(1)} AND ${p(2)} < (pruned_before || '-01')`, [accountId, billingPeriodStart]);
        if (!pruned) {
          const slicer = new LoopSlicer();
          await this.deleteSource(em, accountId, billingPeriodStart, 'unbilled', slicer);
          this.cache.invalidate();
          // The billing periods the invoice's pending rows belong to, from its narrowest aggregate (it
          // mirrors the raw rows): by (account, period, source), the index, each batch below finds
          // the next rows directly instead of walking the account's rows again.
          const periods = (
            (await em.query(
              `SELECT DISTINCT billing_period_start AS p FROM ${DAILY_TOTAL.name} WHERE billing_account_id = ${p(1)} AND invoice_id = ${p(2)} AND x_source = '${PENDING_SOURCE}'`,
              [accountId, invoiceId],
            )) as { p: string }[]
          ).map((r) => r.p);
          for (const period of periods) {
            await changeInSlices(
              em,
              this.dialect,
              {
                table: 'cost_line_item',
                set: "x_source = 'billed'",
                where: `billing_account_id = ${p(1)} AND billing_period_start = ${p(2)} AND x_source = '${PENDING_SOURCE}' AND invoice_id = ${p(3)}`,
                params: [accountId, period, invoiceId],
              },
              slicer,
            );
          }
          await this.aggregates.moveSource(em, { accountId, periods, invoiceId, from: PENDING_SOURCE, to: 'billed' }, slicer);
        }
        // Counted in the monthly aggregate (it mirrors the raw rows in this transaction): a count of a
        // big invoice's raw rows would scan them all on the writer's thread.
        const [{ n }] = (await em.query(
          `SELECT ${this.dialect.integerSumText('row_count')} AS n FROM ${MONTHLY_ROLLUP.name} WHERE billing_account_id = ${p(1)} AND billing_period_start = ${p(2)} AND invoice_id = ${p(3)} AND x_source = 'billed'`,
          [accountId, billingPeriodStart, invoiceId],
        )) as [{ n: number | string | null }];
        return Number(n ?? 0);
      }),
    );
  }

  /**
   * Legacy estimates of one subscription's billing period, replaced whole in one transaction:
   * each run recomputes the month's tiers from its cumulative quantities, so nothing of an older
   * estimate may survive it.
   */
  async replaceEstimated(accountId: string, subscriptionId: string, billingPeriodStart: string, rows: readonly CostRow[]): Promise<void> {
    if (rows.some((r) => r.billingAccountId !== accountId || r.subAccountId !== subscriptionId || r.billingPeriodStart !== billingPeriodStart || r.xSource !== ESTIMATED_SOURCE)) {
      throw new Error('replaceEstimated: every row must be an estimate of that account, subscription and period');
    }
    const p = (n: number) => this.dialect.param(n);
    const where = `billing_account_id = ${p(1)} AND sub_account_id = ${p(2)} AND billing_period_start = ${p(3)} AND x_source = '${ESTIMATED_SOURCE}'`;
    const params = [accountId, subscriptionId, billingPeriodStart];
    this.cache.invalidate();
    await this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        await this.aggregates.lockAccounts(em, [accountId]);
        // A pruned period's estimates live on in its aggregates only: nothing to replace them with.
        if ((await this.withoutPrunedPeriods(em, rows)).length < rows.length) return;
        const slicer = new LoopSlicer();
        if ((await this.aggregates.applyRawRows(em, where, params, -1, 5000, slicer)) > 0) {
          await changeInSlices(em, this.dialect, { table: 'cost_line_item', where, params }, slicer);
        }
        const deltas = new AggregateDeltas();
        await this.writeRows(em, rows, deltas, slicer);
        await this.aggregates.apply(em, deltas, { slicer });
      }),
    );
    this.cache.invalidate();
  }

  /** Exact sums by the given dimensions and currency, over usage days from..to (inclusive). */
  async breakdown<D extends CostDimension>(
    scope: AccessScope,
    dimensions: readonly D[],
    filter: CostFilter,
  ): Promise<{ rows: GroupedAmount<D>[]; totals: { currency: string; amount: string }[] }> {
    // Cached as a whole: re-adding the cached cells in decimal.js on every request was a quarter of
    // a cached breakdown's CPU (profiled, docs/performance.md).
    return this.cache.get(this.cacheKey(scope, ['breakdown', ...dimensions], filter), async () => {
      const sum = new GroupedSum<D>(dimensions);
      const cells = await this.aggregateUncached(scope, dimensions, filter);
      // In slices: a year by meter is ~7,000 cells, ~20 ms of adding in one go (issue 15: no block > 50 ms).
      for (let i = 0; i < cells.length; i++) {
        if (i > 0 && i % CELLS_PER_SLICE === 0) await yieldToEventLoop();
        const cell = cells[i];
        const keys = {} as Record<D, string>;
        for (let d = 0; d < dimensions.length; d++) keys[dimensions[d]] = cell.keys[d];
        sum.add(keys, cell.currency, cell.amount, cell.count);
      }
      if (cells.length <= CELLS_PER_SLICE) return { rows: sum.result(), totals: sum.totals() };
      const rows = await sum.resultInSlices(yieldToEventLoop, CELLS_PER_SLICE);
      return { rows, totals: await totalsInSlices(rows) };
    });
  }

  /**
   * Exact sums per group and currency. Reads the daily rollup when it can answer (dashboard
   * dimensions and time buckets), the raw line items otherwise (resource group, meter, tag).
   */
  aggregate(scope: AccessScope, groups: readonly CostGroup[], filter: CostFilter): Promise<CostCell[]> {
    return this.cache.get(this.cacheKey(scope, groups, filter), () => this.aggregateUncached(scope, groups, filter));
  }

  private cacheKey(scope: AccessScope, groups: readonly string[], filter: CostFilter): string {
    const ids = scope.ids();
    return JSON.stringify([ids ?? '*', (ids ?? []).map((id) => scope.customersOf(id) ?? null), groups, filter]);
  }

  private async aggregateUncached(scope: AccessScope, groups: readonly CostGroup[], filter: CostFilter): Promise<CostCell[]> {
    const filtered = Object.entries(filter.where ?? {}).filter(([, v]) => v !== undefined) as [CostDimension, readonly string[]][];
    const tagFilter = filtered.find(([d]) => d === 'tag')?.[1];
    const range = filter.readFrom === 'raw' ? filter : await this.widenToWholeMonths(filter.from, filter.to);
    const plan = planCostRead(range.from, range.to, new Set<CostGroup>([...groups, ...filtered.map(([d]) => d)]), {
      raw: filter.readFrom === 'raw',
      tagGrouped: groups.includes('tag'),
      tagFilter,
      includeEstimated: filter.includeEstimated,
      customerScoped: (scope.ids() ?? []).some((id) => scope.customersOf(id)),
    });
    const cells: CostCell[] = [];
    for (const segment of plan.segments) {
      if (segment.source === 'tag' && plan.untaggedFrom) cells.push(...(await this.readTagSegmentWithUntagged(scope, groups, filter, filtered, segment, plan.untaggedFrom)));
      else cells.push(...(await this.readSegment(scope, groups, filter, filtered, segment)));
    }
    return plan.segments.length === 1 && !plan.untaggedFrom ? cells : mergeCells(cells);
  }

  /**
   * Month to date is the dashboard's default range: the days after today hold no rows yet, so the
   * month's aggregate answers it. A range that cuts a month where no row (of any account or source)
   * lies on the days left out is widened to the whole month; anything else keeps its exact days.
   */
  private async widenToWholeMonths(from: string, to: string): Promise<{ from: string; to: string }> {
    if (from > to) return { from, to };
    const empty = async (a: string, b: string) =>
      (await this.ds.query(`SELECT 1 AS x FROM ${DAILY_ROLLUP.name} WHERE charge_period_start >= ${this.dialect.param(1)} AND charge_period_start <= ${this.dialect.param(2)} LIMIT 1`, [a, b])).length === 0;
    const monthEnd = lastDayOfMonth(to);
    if (to < monthEnd && (await empty(addDays(to, 1), monthEnd))) to = monthEnd;
    const monthStart = `${from.slice(0, 7)}-01`;
    if (from > monthStart && (await empty(monthStart, addDays(from, -1)))) from = monthStart;
    return { from, to };
  }

  /** One segment of a plan: exact sums per group and currency from one table over its days or months. */
  private async readSegment(
    scope: AccessScope,
    groups: readonly CostGroup[],
    filter: CostFilter,
    filtered: readonly [CostDimension, readonly string[]][],
    segment: CostReadSegment,
  ): Promise<CostCell[]> {
    const q = this.segmentQuery(scope, groups, filter, filtered, segment, { scan: await this.readsMostOf(segment) });
    if (!q) return [];
    if (segment.source !== 'raw') {
      const parts = await this.partsOf(segment, groups);
      // Each part groups its own values of the partition column: the parts' rows are the answer's rows.
      const statements = parts.length === 0 ? [q] : parts.map((range) => this.segmentQuery(scope, groups, filter, filtered, segment, { range })!);
      const tables = await Promise.all(statements.map((s) => this.reads.queryArrays(s.sql, s.params, { limbAmounts: true })));
      const cells: CostCell[] = [];
      for (const table of tables) await cellsOf(groups, table, cells);
      return cells;
    }
    const { columns, rows } = await this.reads.queryArrays(q.sql, q.params, { exactSumColumns: ['parts'] });
    const keysOf = keyReader(groups, columns);
    const [parts, currency, n] = ['parts', 'currency', 'n'].map((c) => columns.indexOf(c));
    // No parts: every amount of the group was NULL (list cost of rows synced before it existed).
    return rows.map((r) => ({ keys: keysOf(r), currency: String(r[currency]), amount: sumDecimals(String(r[parts] ?? '').split(',').filter(Boolean)), count: Number(r[n]) }));
  }

  /**
   * SQLite: whether a segment of a month or day aggregate covers most of its table's time span, so
   * that a full scan (sequential) beats the primary key's range (a random row lookup per group, ~2.3×
   * slower per row at 10M rows). SQLite has no statistics to weigh the two (decision 0028); the
   * span is two seeks of the primary key, kept for a minute. PostgreSQL plans from its own statistics.
   */
  private async readsMostOf(segment: CostReadSegment): Promise<boolean> {
    if (this.dialect.name !== 'sqlite' || segment.source === 'raw' || segment.source === 'tag' || SPAN_SOURCES.has(segment.source)) return false;
    const table = AGGREGATE_TABLE_OF[segment.source];
    const monthly = segment.source === 'monthly' || segment.source === 'detail';
    const column = monthly ? 'charge_month' : 'charge_period_start';
    let span = this.timeSpans.get(table);
    if (!span || span.until < Date.now()) {
      const [row] = await this.ds.query(`SELECT MIN(${column}) AS lo, MAX(${column}) AS hi FROM ${table}`);
      span = { lo: row?.lo ?? null, hi: row?.hi ?? null, until: Date.now() + TIME_SPAN_TTL_MS };
      this.timeSpans.set(table, span);
    }
    if (span.lo === null || span.hi === null) return false;
    const cut = (day: string) => (monthly ? day.slice(0, 7) : day);
    return coversMostOfSpan(cut(segment.from), cut(segment.to), span.lo, span.hi);
  }

  /**
   * A span segment grouped by the dimension its table's key orders groups by, read in as many parts
   * as there are read threads (decision 0032): ranges of that dimension, cut where the longest span
   * of the segment holds equal numbers of groups (kept for a minute; an uneven cut only costs time).
   * None (one read) with a single thread or below MIN_SPAN_GROUPS_PER_PART groups per part.
   */
  private async partsOf(segment: CostReadSegment, groups: readonly CostGroup[]): Promise<KeyRange[]> {
    const partition = SPAN_PARTITIONS[segment.source];
    if (!partition || !groups.includes(partition.group) || this.reads.parallelism < 2) return [];
    const { name: table, primaryKey } = partition.table;
    const column = primaryKey[1];
    const longest = spansCovering(segment.from.slice(0, 7), segment.to.slice(0, 7)).reduce((a, b) => (spanMonths(b) > spanMonths(a) ? b : a));
    const cacheKey = `${table} ${longest}`;
    let cut = this.spanCuts.get(cacheKey);
    if (!cut || cut.until < Date.now()) {
      const [{ n }] = await this.reads.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${table} WHERE span = ${this.dialect.param(1)}`, [longest]);
      const count = Number(n);
      const parts = Math.min(this.reads.parallelism, Math.floor(count / MIN_SPAN_GROUPS_PER_PART));
      const points: string[] = [];
      for (let i = 1; i < parts; i++) {
        // The key's order within the span: no sort. Values come in the database's order; equal ones cut once.
        const [row] = await this.reads.query<{ v: string }>(
          `SELECT ${column} AS v FROM ${table} WHERE span = ${this.dialect.param(1)} ORDER BY ${column} LIMIT 1 OFFSET ${Math.floor((i * count) / parts)}`,
          [longest],
        );
        if (row && row.v !== points.at(-1)) points.push(row.v);
      }
      cut = { points, until: Date.now() + TIME_SPAN_TTL_MS };
      this.spanCuts.set(cacheKey, cut);
    }
    const { points } = cut;
    return points.length === 0 ? [] : [undefined, ...points].map((from, i) => ({ column, from, below: points[i] }));
  }

  /**
   * A tag segment together with the totals its untagged ('') bucket is derived from, in one
   * statement: one snapshot, so a page committed between two reads cannot make the bucket wrong.
   */
  private async readTagSegmentWithUntagged(
    scope: AccessScope,
    groups: readonly CostGroup[],
    filter: CostFilter,
    filtered: readonly [CostDimension, readonly string[]][],
    segment: CostReadSegment,
    untaggedFrom: CostReadSource,
  ): Promise<CostCell[]> {
    const tagged = this.segmentQuery(scope, groups, filter, filtered, segment, { part: 'tagged' });
    if (!tagged) return [];
    const totalSegment = { ...segment, source: untaggedFrom };
    const totals = this.segmentQuery(scope, groups, filter, filtered, totalSegment, {
      part: 'total',
      prior: tagged.params,
      blank: 'tag',
      scan: await this.readsMostOf(totalSegment),
    })!;
    const table = await this.reads.queryArrays(`${tagged.sql} UNION ALL ${totals.sql}`, totals.params, { limbAmounts: true });
    const partAt = table.columns.indexOf('part');
    const cells = async (part: string) => cellsOf(groups, { columns: table.columns, rows: table.rows.filter((r) => r[partAt] === part) });
    const taggedCells = await cells('tagged');
    const tagAt = groups.indexOf('tag');
    const totalCells = (await cells('total')).map((c) => ({ ...c, keys: c.keys.filter((_, i) => i !== tagAt) }));
    return [...untaggedCells(groups, taggedCells, totalCells), ...taggedCells];
  }

  /**
   * The SQL of one segment (null when the scope or a filter leaves nothing). `prior`: parameters of a
   * statement this one is appended to; `blank`: a group given as '' (not grouped) to line up columns;
   * `part`: a constant last column naming the statement in a UNION; `scan`: read the whole table
   * (readsMostOf); `range`: only the groups within a range of one column (partsOf).
   */
  private segmentQuery(
    scope: AccessScope,
    groups: readonly CostGroup[],
    filter: CostFilter,
    filtered: readonly [CostDimension, readonly string[]][],
    segment: CostReadSegment,
    options: { prior?: readonly unknown[]; blank?: CostGroup; part?: string; scan?: boolean; range?: KeyRange } = {},
  ): { sql: string; params: unknown[] } | null {
    const { source } = segment;
    const monthly = source === 'monthly' || source === 'detail' || source === 'tag';
    const spans = SPAN_SOURCES.has(source);
    const time: TimeCondition = spans
      ? { column: 'span', in: spansCovering(segment.from.slice(0, 7), segment.to.slice(0, 7)) }
      : monthly
        ? { column: 'charge_month', from: segment.from.slice(0, 7), to: segment.to.slice(0, 7) }
        : { column: 'charge_period_start', from: segment.from, to: segment.to };
    const { where: scoped, params } = this.whereClause(scope, filter, filtered, source, time, options.prior);
    if (scoped === '1 = 0') return null;
    // The span tables hold counted rows only (no source column): neither pending nor estimated.
    let where = spans ? scoped : `${scoped} AND x_source <> '${PENDING_SOURCE}'`;
    if (source === 'tag') {
      params.push(tagKeyOf(filter.tagKey));
      where += ` AND tag_key = ${this.dialect.param(params.length)}`;
    }
    for (const [bound, op] of [
      [options.range?.from, '>='],
      [options.range?.below, '<'],
    ] as const) {
      if (bound === undefined) continue;
      params.push(bound);
      where += ` AND ${options.range!.column} ${op} ${this.dialect.param(params.length)}`;
    }
    const exprs = groups.map((g) => (g === options.blank ? null : this.groupSql(g, filter.tagKey, source)));
    const select = exprs.map((e, i) => `${e ?? "''"} AS d${i}, `).join('');
    const groupBy = [...exprs.flatMap((e, i) => (e === null ? [] : [String(i + 1)])), String(exprs.length + 1)].join(', ');
    const part = options.part === undefined ? '' : `, '${options.part}' AS part`;
    if (source !== 'raw') {
      const limb = (i: number) => this.amountSql(scope, `billed_l${i}`, `list_l${i}`);
      return {
        sql:
          `SELECT ${select}billing_currency AS currency, ${this.dialect.limbAmountColumns([limb(0), limb(1), limb(2)])}, ` +
          `${this.dialect.integerSumText('row_count')} AS n${part} FROM ${options.scan ? this.dialect.scanned(AGGREGATE_TABLE_OF[source]) : AGGREGATE_TABLE_OF[source]} ` +
          `WHERE ${where} GROUP BY ${groupBy}`,
        params,
      };
    }
    return {
      sql:
        `SELECT ${select}billing_currency AS currency, ` +
        `${this.dialect.exactSumParts(this.amountSql(scope, 'billed_cost', 'x_list_cost'))} AS parts, count(*) AS n${part} ` +
        `FROM cost_line_item WHERE ${where} GROUP BY ${groupBy}`,
      params,
    };
  }

  /**
   * One page of raw line items in (account, natural key) order, read **one account at a time**: each
   * read is `billing_account_id = ? AND x_natural_key > ?` in key order, a range scan of the primary
   * key that stops after `limit` rows. (One query over `billing_account_id IN (…)` made the planners
   * take the day index and sort every in-range row of an account again for each page.) The accounts
   * come from the primary key itself, the next one after the last read (`MIN(billing_account_id) >
   * ?`, one index seek), so the order is the database's own order of the column — the order, and the
   * cursor, of the single query this replaces. Accounts outside the scope, and sandbox accounts unless
   * asked, are stepped over; an account seen through customer-scoped grants is read with its customer
   * condition. `read` runs one account's statement: its WHERE, parameters and row limit.
   */
  private async pageByAccount<T>(
    scope: AccessScope,
    filter: CostFilter,
    page: { limit: number; after?: { account: string; key: string } },
    read: (where: string, params: unknown[], limit: number) => Promise<T[]>,
  ): Promise<T[]> {
    const limit = Math.max(1, Math.floor(page.limit));
    const filtered = Object.entries(filter.where ?? {}).filter(([, v]) => v !== undefined) as [CostDimension, readonly string[]][];
    const inScope = scope.ids();
    if (inScope?.length === 0 || filtered.some(([, values]) => values.length === 0)) return [];
    // Sandbox accounts are stepped over here, not by the shared clause's sub-select on every read.
    const nonSandbox = filter.includeSandbox
      ? undefined
      : new Set((await this.reads.query<{ id: string }>(`SELECT id FROM account WHERE sandbox = ${this.falseLiteral()}`, [])).map((r) => r.id));
    const accountFilter = filter.where?.account;
    const readable = (account: string) => scope.allows(account) && (!nonSandbox || nonSandbox.has(account)) && (!accountFilter || accountFilter.includes(account));
    const rows: T[] = [];
    let account: string | null = page.after ? page.after.account : await this.nextAccountWithRows(undefined);
    let afterKey = page.after?.key;
    while (account !== null) {
      if (readable(account)) {
        const { where, params } = this.whereClause(scope.narrow([account]), { ...filter, includeSandbox: true }, filtered);
        let keyset = '';
        if (afterKey !== undefined) {
          params.push(afterKey);
          keyset = ` AND x_natural_key > ${this.dialect.param(params.length)}`;
        }
        rows.push(...(await read(`${where}${keyset}`, params, limit - rows.length)));
        if (rows.length >= limit) break;
      }
      account = await this.nextAccountWithRows(account);
      afterKey = undefined;
    }
    return rows;
  }

  /** The first account holding line items after `after` in the primary key's order (one index seek), or null. */
  private async nextAccountWithRows(after: string | undefined): Promise<string | null> {
    const [row] = await this.reads.query<{ id: string | null }>(
      `SELECT MIN(billing_account_id) AS id FROM cost_line_item${after === undefined ? '' : ` WHERE billing_account_id > ${this.dialect.param(1)}`}`,
      after === undefined ? [] : [after],
    );
    return row?.id ?? null;
  }

  /**
   * Raw line items, keyset-paged on the primary key (stable while rows are added), under the scope
   * and filters, account by account (pageByAccount). Customer-scoped views get the list cost in place
   * of the partner's cost.
   */
  async lineItems(scope: AccessScope, filter: CostFilter, page: { limit: number; after?: { account: string; key: string } }): Promise<LineItemRow[]> {
    const amount = this.amountSql(scope, 'billed_cost', 'x_list_cost');
    const rows = await this.pageByAccount(scope, filter, page, (where, params, limit) =>
      this.reads.query<Record<string, unknown>>(
        `SELECT billing_account_id AS "accountId", x_natural_key AS "key", charge_period_start AS "day", x_cloud AS "cloud", x_customer_id AS "customerId", ` +
          `x_customer_name AS "customerName", sub_account_id AS "subscriptionId", service_name AS "service", region_id AS "region", ` +
          `x_resource_group AS "resourceGroup", resource_id AS "resourceId", x_meter_name AS "meter", x_charge_type AS "chargeType", ` +
          `consumed_quantity AS "quantity", consumed_unit AS "unit", ${amount} AS "amount", billing_currency AS "currency", ` +
          `COALESCE(invoice_id, '') AS "invoiceId", x_source AS "source" ` +
          `FROM cost_line_item WHERE ${where} AND x_source <> '${PENDING_SOURCE}' ORDER BY x_natural_key LIMIT ${limit}`,
        params,
      ),
    );
    return rows.map((r) => ({ ...(r as unknown as LineItemRow), quantity: normalizeDecimal(String(r.quantity)), amount: r.amount === null ? '0' : normalizeDecimal(String(r.amount)) }));
  }

  /**
   * Every column of the raw line items the FOCUS export needs, paged like lineItems (same scope,
   * filters, order and cursor). Amounts as exact decimal text; the export maps them (see @meridian/finops focus).
   */
  async focusLineItems(scope: AccessScope, filter: CostFilter, page: { limit: number; after?: { account: string; key: string } }): Promise<FocusLineItem[]> {
    const text = (c: string) => (this.dialect.name === 'postgres' ? `${c}::text` : c);
    const rows = await this.pageByAccount(scope, filter, page, (where, params, limit) =>
      this.reads.query<FocusLineItem>(
        `SELECT billing_account_id AS "accountId", x_natural_key AS "naturalKey", x_cloud AS "cloud", x_customer_id AS "customerId", x_customer_name AS "customerName", ` +
          `x_plan_id AS "planId", sub_account_id AS "subscriptionId", sub_account_name AS "subscriptionName", service_name AS "serviceName", service_category AS "serviceCategory", ` +
          `region_id AS "regionId", region_name AS "regionName", resource_id AS "resourceId", x_resource_group AS "resourceGroup", x_meter_id AS "meterId", ` +
          `x_meter_name AS "meterName", x_meter_subcategory AS "meterSubcategory", charge_category AS "chargeCategory", x_charge_type AS "chargeType", ` +
          `charge_period_start AS "day", billing_period_start AS "billingPeriodStart", invoice_id AS "invoiceId", ${text('consumed_quantity')} AS "quantity", ` +
          `consumed_unit AS "unit", ${text('x_unit_price')} AS "unitPrice", ${text('billed_cost')} AS "billedCost", billing_currency AS "billingCurrency", ` +
          `${text('effective_cost')} AS "effectiveCost", ${text('x_list_cost')} AS "listCost", ${text('x_pricing_cost')} AS "pricingCost", pricing_currency AS "pricingCurrency", ` +
          `${text('x_exchange_rate')} AS "exchangeRate", x_exchange_rate_date AS "exchangeRateDate", ${text('x_partner_earned_credit_rate')} AS "pecRate", tags, x_source AS "source" ` +
          `FROM cost_line_item WHERE ${where} AND x_source <> '${PENDING_SOURCE}' ORDER BY x_natural_key LIMIT ${limit}`,
        params,
      ),
    );
    for (const r of rows) r.customerView = Boolean(scope.customersOf(r.accountId));
    return rows;
  }

  private groupSql(group: CostGroup, tagKey: string | undefined, source: CostReadSource = 'raw'): string {
    const monthly = source === 'monthly' || source === 'detail' || source === 'tag';
    if (group === 'day') return 'charge_period_start';
    if (group === 'month') return monthly ? 'charge_month' : 'substr(charge_period_start, 1, 7)';
    if (group !== 'tag') return DIMENSION_COLUMNS[group];
    const key = tagKeyOf(tagKey);
    if (source === 'tag') return 'tag_value';
    // The key is a validated literal (letters, digits, " _.:-"): no quote can reach the SQL.
    return this.dialect.name === 'postgres' ? `COALESCE(tags::jsonb ->> '${key}', '')` : `COALESCE(json_extract(tags, '$."${key}"'), '')`;
  }

  /**
   * The amount a scope may see: the partner's cost, except in accounts seen through
   * customer-scoped grants, where it is the list price — a reseller or customer never sees the
   * partner's cost price. Account ids come from the store's own scope, quoted as literals.
   */
  private amountSql(scope: AccessScope, partnerCost: string, listCost: string): string {
    const limited = (scope.ids() ?? []).filter((id) => scope.customersOf(id));
    if (limited.length === 0) return partnerCost;
    const list = limited.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');
    return `CASE WHEN billing_account_id IN (${list}) THEN ${listCost} ELSE ${partnerCost} END`;
  }

  private whereClause(
    scope: AccessScope,
    filter: CostFilter,
    filtered: readonly [CostDimension, readonly string[]][] = [],
    source: CostReadSource = 'raw',
    time: TimeCondition = { column: 'charge_period_start', from: filter.from, to: filter.to },
    /** Parameters of a statement this clause's statement is appended to (UNION): numbering goes on after them. */
    prior: readonly unknown[] = [],
  ): { where: string; params: unknown[] } {
    const params: unknown[] = [...prior];
    const p = () => this.dialect.param(params.length);
    const clauses: string[] = [];
    if ('in' in time) {
      clauses.push(`${time.column} IN (${placeholders(this.dialect, time.in.length, params.length)})`);
      params.push(...time.in);
    } else {
      params.push(time.from, time.to);
      clauses.push(`${time.column} >= ${this.dialect.param(prior.length + 1)}`, `${time.column} <= ${this.dialect.param(prior.length + 2)}`);
    }
    // The aggregates are read by time (their primary key) or by a full scan: their (account, period)
    // index serves month close and sweeps, and on SQLite a read through it fetches every period of
    // the account (decision 0028).
    const account = source === 'raw' ? 'billing_account_id' : this.dialect.unindexed('billing_account_id');
    const ids = scope.ids();
    if (ids) {
      if (ids.length === 0) return { where: '1 = 0', params: [] };
      // Whole accounts, plus accounts seen through some customers only (customer-scoped grants).
      const whole = ids.filter((id) => !scope.customersOf(id));
      const parts: string[] = [];
      if (whole.length) {
        parts.push(`${account} IN (${placeholders(this.dialect, whole.length, params.length)})`);
        params.push(...whole);
      }
      for (const id of ids.filter((a) => scope.customersOf(a))) {
        const customers = scope.customersOf(id)!;
        params.push(id);
        parts.push(`(${account} = ${p()} AND x_customer_id IN (${placeholders(this.dialect, customers.length, params.length)}))`);
        params.push(...customers);
      }
      clauses.push(`(${parts.join(' OR ')})`);
    }
    for (const [dimension, values] of filtered) {
      if (values.length === 0) return { where: '1 = 0', params: [] };
      clauses.push(`${this.groupSql(dimension, filter.tagKey, source)} IN (${placeholders(this.dialect, values.length, params.length)})`);
      params.push(...values);
    }
    if (!filter.includeEstimated && !SPAN_SOURCES.has(source)) clauses.push(`x_source <> '${ESTIMATED_SOURCE}'`);
    if (!filter.includeSandbox) {
      clauses.push(`${account} IN (SELECT id FROM account WHERE sandbox = ${this.falseLiteral()})`);
    }
    return { where: clauses.join(' AND '), params };
  }

  private falseLiteral(): string {
    return this.dialect.name === 'postgres' ? 'false' : '0';
  }

  private upsertSql(rowCount: number): string {
    const cached = this.upsertSqlCache.get(rowCount);
    if (cached) return cached;
    const cols = this.columns.map((c) => c.column);
    const values: string[] = [];
    for (let r = 0; r < rowCount; r++) values.push(`(${placeholders(this.dialect, cols.length, r * cols.length)})`);
    const updates = cols
      .filter((c) => c !== 'billing_account_id' && c !== 'x_natural_key')
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    const sql =
      `INSERT INTO cost_line_item (${cols.join(', ')}) VALUES ${values.join(', ')} ` +
      `ON CONFLICT (billing_account_id, x_natural_key) DO UPDATE SET ${updates}`;
    this.upsertSqlCache.set(rowCount, sql);
    return sql;
  }
}

/** The rows with each (account, natural key) once, its last row, in the order of those last rows. */
export function lastPerKey(rows: readonly CostRow[]): readonly CostRow[] {
  const last = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) last.set(`${rows[i].billingAccountId}\u0000${rows[i].xNaturalKey}`, i);
  if (last.size === rows.length) return rows;
  return rows.filter((r, i) => last.get(`${r.billingAccountId}\u0000${r.xNaturalKey}`) === i);
}

/** Reads a row's group values (columns d0, d1, … of `columns`) in the order of the groups. */
function keyReader(groups: readonly CostGroup[], columns: readonly string[]): (row: readonly unknown[]) => string[] {
  const at = groups.map((_, i) => columns.indexOf(`d${i}`));
  return (row) => {
    const keys = new Array<string>(at.length);
    for (let k = 0; k < at.length; k++) keys[k] = String(row[at[k]] ?? '');
    return keys;
  };
}

/**
 * GroupedSum.totals of a big breakdown, a slice of amounts per event-loop task: per currency, the
 * exact sum of each slice, then of those partial sums (exact addition: the same total).
 */
async function totalsInSlices(rows: readonly { currency: string; amount: string }[]): Promise<{ currency: string; amount: string }[]> {
  const byCurrency = new Map<string, string[]>();
  for (const r of rows) {
    const amounts = byCurrency.get(r.currency);
    if (amounts) amounts.push(r.amount);
    else byCurrency.set(r.currency, [r.amount]);
  }
  const totals: { currency: string; amount: string }[] = [];
  for (const currency of [...byCurrency.keys()].sort((a, b) => a.localeCompare(b))) {
    const amounts = byCurrency.get(currency)!;
    const partials: string[] = [];
    for (let i = 0; i < amounts.length; i += CELLS_PER_SLICE) {
      await yieldToEventLoop();
      partials.push(sumDecimals(amounts.slice(i, i + CELLS_PER_SLICE)));
    }
    totals.push({ currency, amount: sumDecimals(partials) });
  }
  return totals;
}

/**
 * The cells of an aggregate read, appended to `into`, a slice per event-loop task: limb sums
 * recombined into the exact amount (BigInt work per row), unless the reader or the server did
 * (`amount`).
 */
async function cellsOf(groups: readonly CostGroup[], { columns, rows }: RowTable, into: CostCell[] = []): Promise<CostCell[]> {
  const keysOf = keyReader(groups, columns);
  const [currency, n, amount, l0, l1, l2] = ['currency', 'n', 'amount', 'l0', 'l1', 'l2'].map((c) => columns.indexOf(c));
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % CELLS_PER_SLICE === 0) await yieldToEventLoop();
    const r = rows[i];
    into.push({
      keys: keysOf(r),
      currency: String(r[currency]),
      amount: amount >= 0 ? String(r[amount]) : fromLimbSums(r[l0] as string | null, r[l1] as string | null, r[l2] as string | null),
      count: Number(r[n]),
    });
  }
  return into;
}

/** The validated tag key (letters, digits, " _.:-"; validated at the edge too). */
function tagKeyOf(tagKey: string | undefined): string {
  if (!tagKey || !/^[A-Za-z0-9 _.:-]{1,64}$/.test(tagKey)) throw new Error('grouping by tag needs a valid tag key');
  return tagKey;
}

function negate(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : amount === '0' ? amount : `-${amount}`;
}

/** Cells with equal keys and currency added together (exact), in first-seen order. */
export function mergeCells(cells: readonly CostCell[]): CostCell[] {
  const merged = new Map<string, { cell: CostCell; amounts: string[] }>();
  for (const c of cells) {
    const id = JSON.stringify([c.keys, c.currency]);
    const m = merged.get(id);
    if (m) {
      m.amounts.push(c.amount);
      m.cell.count += c.count;
    } else merged.set(id, { cell: { ...c, keys: [...c.keys] }, amounts: [c.amount] });
  }
  return [...merged.values()].map(({ cell, amounts }) => ({ ...cell, amount: amounts.length === 1 ? amounts[0] : exactSum(amounts) }));
}

/**
 * The '' bucket of a tag grouping: per other keys and currency, the total without the tag minus
 * every tagged value (rows that lack the key, or hold an empty value); left out where nothing remains.
 */
function untaggedCells(groups: readonly CostGroup[], tagged: readonly CostCell[], totals: readonly CostCell[]): CostCell[] {
  const tagAt = groups.indexOf('tag');
  const rest = new Map<string, { cell: CostCell; amounts: string[] }>();
  for (const t of totals) rest.set(JSON.stringify([t.keys, t.currency]), { cell: { ...t }, amounts: [t.amount] });
  for (const c of tagged) {
    const others = c.keys.filter((_, i) => i !== tagAt);
    const r = rest.get(JSON.stringify([others, c.currency]));
    if (!r) throw new Error('tag aggregate holds rows its base aggregate lacks');
    r.amounts.push(negate(c.amount));
    r.cell.count -= c.count;
  }
  const out: CostCell[] = [];
  for (const { cell, amounts } of rest.values()) {
    if (cell.count === 0) continue;
    const keys = [...cell.keys];
    keys.splice(tagAt, 0, '');
    out.push({ keys, currency: cell.currency, amount: exactSum(amounts), count: cell.count });
  }
  return out;
}
