import { toLimbs } from '@meridian/finops';
import { DataSource, EntityManager } from 'typeorm';
import { PENDING_SOURCE } from './cost.repository';
import { exactSum } from './exact-sum';
import { dialectOf, placeholders, SqlDialect, sqliteConnection } from './sql-dialect';
import { WriteLock } from './write-lock';

/** The rollup's grain, in the same column names as cost_line_item (invoice_id '' while unbilled). */
const KEY_COLUMNS = [
  'billing_account_id',
  'charge_period_start',
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
const AMOUNT_COLUMNS = ['billed_l0', 'billed_l1', 'billed_l2', 'list_l0', 'list_l1', 'list_l2', 'row_count'] as const;
const ALL_COLUMNS = [...KEY_COLUMNS, ...AMOUNT_COLUMNS];
const keySelect = KEY_COLUMNS.map((c) => (c === 'invoice_id' ? "COALESCE(invoice_id, '') AS invoice_id" : c)).join(', ');
const keyGroup = KEY_COLUMNS.map((_, i) => String(i + 1)).join(', ');

/**
 * Maintains cost_daily_rollup (docs/decisions/0008-daily-rollups.md): after a sync writes an account's
 * billing period, that period's rollup rows are recomputed from the raw line items in one
 * transaction. Recomputing (not adding deltas) keeps re-syncs idempotent: an upsert that replaces a
 * line item can never be counted twice.
 */
export class CostRollupRepository {
  private readonly dialect: SqlDialect;

  constructor(
    private readonly ds: DataSource,
    private readonly writeLock: WriteLock,
    /** The cost queries' cache: a refreshed rollup changes their answers. */
    private readonly onChange: () => void = () => undefined,
  ) {
    this.dialect = dialectOf(ds);
  }

  /** Recomputes the rollup of one account's billing period (YYYY-MM-01). Returns the rollup rows written. */
  async refreshPeriod(accountId: string, billingPeriodStart: string): Promise<number> {
    try {
      return await this.refreshPeriodLocked(accountId, billingPeriodStart);
    } finally {
      this.onChange();
    }
  }

  private refreshPeriodLocked(accountId: string, billingPeriodStart: string): Promise<number> {
    return this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        if (this.dialect.name === 'postgres') {
          // Two refreshes of one period must not interleave their DELETE and INSERT.
          await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rollup:${accountId}:${billingPeriodStart}`]);
        }
        await em.query(`DELETE FROM cost_daily_rollup WHERE billing_account_id = ${this.p(1)} AND billing_period_start = ${this.p(2)}`, [accountId, billingPeriodStart]);
        return this.dialect.name === 'postgres' ? this.insertPostgres(em, accountId, billingPeriodStart) : this.insertSqlite(em, accountId, billingPeriodStart);
      }),
    );
  }

  /** Rebuilds every period of one account, or of all accounts. */
  async rebuild(accountId?: string): Promise<{ periods: number; rows: number }> {
    const sql = `SELECT DISTINCT billing_account_id AS a, billing_period_start AS p FROM cost_line_item${accountId ? ` WHERE billing_account_id = ${this.p(1)}` : ''}`;
    const periods: { a: string; p: string }[] = await this.ds.query(sql, accountId ? [accountId] : []);
    if (accountId) await this.writeLock.run(() => this.ds.query(`DELETE FROM cost_daily_rollup WHERE billing_account_id = ${this.p(1)}`, [accountId]));
    else await this.writeLock.run(() => this.ds.query('DELETE FROM cost_daily_rollup'));
    let rows = 0;
    for (const { a, p } of periods) rows += await this.refreshPeriod(a, p);
    return { periods: periods.length, rows };
  }

  /** After an upgrade from a version without rollups: build them once if raw rows exist and no rollup does. */
  async rebuildIfMissing(): Promise<boolean> {
    const [raw] = await this.ds.query('SELECT 1 AS x FROM cost_line_item LIMIT 1');
    const [rolled] = await this.ds.query('SELECT 1 AS x FROM cost_daily_rollup LIMIT 1');
    if (!raw || rolled) return false;
    await this.rebuild();
    return true;
  }

  /** PostgreSQL: one INSERT … SELECT; numeric sums are exact and split into limbs in SQL. */
  private async insertPostgres(em: EntityManager, accountId: string, billingPeriodStart: string): Promise<number> {
    const limbs = (v: string) => [
      `floor(${v} * 1000000)::bigint`,
      `floor((${v} * 1000000 - floor(${v} * 1000000)) * 1000000000)::bigint`,
      `floor((${v} * 1000000000000000 - floor(${v} * 1000000000000000)) * 1000000000)::bigint`,
    ];
    const sql =
      `WITH g AS (SELECT ${keySelect}, sum(billed_cost) AS b, COALESCE(sum(x_list_cost), 0) AS l, count(*) AS n ` +
      `FROM cost_line_item WHERE billing_account_id = $1 AND billing_period_start = $2 AND x_source <> '${PENDING_SOURCE}' GROUP BY ${keyGroup}), ` +
      `ins AS (INSERT INTO cost_daily_rollup (${ALL_COLUMNS.join(', ')}) ` +
      `SELECT ${KEY_COLUMNS.join(', ')}, ${[...limbs('b'), ...limbs('l')].join(', ')}, n FROM g RETURNING 1) ` +
      // The driver reports no row count for a bare INSERT through TypeORM's query(): count what was inserted.
      `SELECT count(*) AS inserted FROM ins`;
    const [{ inserted }] = (await em.query(sql, [accountId, billingPeriodStart])) as { inserted: string | number }[];
    return Number(inserted);
  }

  /**
   * SQLite has no exact decimal SUM: sum each group's values exactly in JS (exactSum), then store
   * limbs. One usage day at a time (the day is part of the grain, so the groups are the same):
   * memory stays bounded by one day's groups however large the period.
   */
  private async insertSqlite(em: EntityManager, accountId: string, billingPeriodStart: string): Promise<number> {
    const where = `billing_account_id = ? AND billing_period_start = ? AND x_source <> '${PENDING_SOURCE}'`;
    const days: { d: string }[] = await em.query(`SELECT DISTINCT charge_period_start AS d FROM cost_line_item WHERE ${where}`, [accountId, billingPeriodStart]);
    const parts = (v: string | number | null) => String(v ?? '').split(',').filter(Boolean);
    // One prepared single-row INSERT on the driver's connection (better-sqlite3, synchronous, inside
    // this transaction): cheaper than multi-row VALUES, and no statement of its own per chunk size.
    const insert = sqliteConnection(this.ds).prepare(`INSERT INTO cost_daily_rollup (${ALL_COLUMNS.join(', ')}) VALUES (${placeholders(this.dialect, ALL_COLUMNS.length)})`);
    let written = 0;
    for (const { d } of days) {
      const groups: Record<string, string | number | null>[] = await em.query(
        `SELECT ${keySelect}, group_concat(billed_cost, ',') AS b, group_concat(x_list_cost, ',') AS l, count(*) AS n ` +
          `FROM cost_line_item WHERE ${where} AND charge_period_start = ? GROUP BY ${keyGroup}`,
        [accountId, billingPeriodStart, d],
      );
      for (const g of groups) insert.run([...KEY_COLUMNS.map((c) => g[c]), ...toLimbs(exactSum(parts(g.b))), ...toLimbs(exactSum(parts(g.l))), g.n]);
      written += groups.length;
    }
    return written;
  }

  private p(n: number): string {
    return this.dialect.param(n);
  }
}
