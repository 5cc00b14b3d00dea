import { CostDimension } from '@meridian/contracts';
import { fromLimbSums, GroupedAmount, GroupedSum, normalizeDecimal, sumDecimals } from '@meridian/finops';
import { DataSource } from 'typeorm';
import { AccessScope } from '../access-scope';
import { CostLineItemEntity, CostRow } from '../entities/cost-line-item.entity';
import { QueryCache } from './query-cache';
import { dialectOf, placeholders, SqlDialect, SqliteStatement, sqliteConnection } from './sql-dialect';
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

/** x_source of billed rows written page by page, before their invoice replaces the unbilled ones. */
export const PENDING_SOURCE = 'pending';

/**
 * x_source of legacy Azure cost estimated from utilization × rate card: never billed figures.
 * Cost queries leave these rows out unless asked (docs/decisions/0013-prices-and-legacy-estimates.md).
 */
export const ESTIMATED_SOURCE = 'estimated';

/** What a cost query can group by: a dimension, or a time bucket. */
export type CostGroup = CostDimension | 'day' | 'month';

/** Groups and filters the daily rollup can answer; anything else reads the raw line items. */
const ROLLUP_GROUPS: ReadonlySet<CostGroup> = new Set<CostGroup>(['service', 'region', 'account', 'cloud', 'customer', 'subscription', 'chargeType', 'invoice', 'day', 'month']);

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
  /** Default: the rollup when it can answer. 'raw' forces the line items (tests, benchmarks). */
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

/** One aggregated cell: key values in the order of the groups asked for. */
export interface CostCell {
  keys: string[];
  currency: string;
  amount: string;
  count: number;
}

interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<unknown>;
}

export class CostRepository {
  private readonly dialect: SqlDialect;
  private readonly columns: { property: keyof CostRow; column: string }[];
  private readonly upsertSqlCache = new Map<number, string>();

  constructor(
    private readonly ds: DataSource,
    private readonly writeLock: WriteLock,
    /** Aggregates by (scope, groups, filter); cleared on every write through this store. */
    readonly cache: QueryCache = new QueryCache(0),
  ) {
    this.dialect = dialectOf(ds);
    this.columns = ds
      .getMetadata(CostLineItemEntity)
      .columns.map((c) => ({ property: c.propertyName as keyof CostRow, column: c.databaseName }));
  }

  /**
   * Inserts or replaces rows by (billing_account_id, x_natural_key), all in one transaction: on
   * PostgreSQL in statements of as many rows as the parameter limit allows, on SQLite row by row
   * through one prepared statement. A key given twice ends up with its last row, as if the rows
   * were written one after the other.
   */
  async upsert(rows: readonly CostRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.cache.invalidate();
    const perStatement = Math.floor(this.dialect.maxParams / this.columns.length);
    await this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        if (this.dialect.name === 'sqlite') return this.upsertSqlite(rows);
        // One PostgreSQL statement may not update the same row twice: keep each key's last row.
        rows = lastPerKey(rows);
        const conn = (em.queryRunner as unknown as { databaseConnection?: PgConnection } | undefined)?.databaseConnection;
        for (let i = 0; i < rows.length; i += perStatement) {
          const chunk = rows.slice(i, i + perStatement);
          const params: unknown[] = [];
          for (const row of chunk) for (const c of this.columns) params.push(row[c.property]);
          // Full-size statements are prepared once per connection (named): PostgreSQL would parse and
          // plan a many-thousand-parameter INSERT again on every call otherwise.
          if (conn && chunk.length === perStatement) {
            await conn.query({ name: `meridian_cost_upsert_${perStatement}`, text: this.upsertSql(perStatement), values: params });
          } else await em.query(this.upsertSql(chunk.length), params);
        }
      }),
    );
  }

  /**
   * SQLite, inside the transaction: one prepared single-row upsert run row after row on the
   * driver's connection (better-sqlite3 runs it synchronously: no statement to parse per page, no
   * thread hop per statement; single-row statements are cheaper for SQLite than multi-row VALUES
   * with ON CONFLICT). Rows run in order, so a key given twice keeps its last row.
   */
  private sqliteUpsert?: SqliteStatement;
  private upsertSqlite(rows: readonly CostRow[]): void {
    const stmt = (this.sqliteUpsert ??= sqliteConnection(this.ds).prepare(this.upsertSql(1)));
    const cols = this.columns;
    const values: unknown[] = new Array(cols.length);
    for (const row of rows) {
      for (let c = 0; c < cols.length; c++) values[c] = row[cols[c].property];
      stmt.run(values);
    }
  }

  /** Releases the prepared statement (before the connection closes). */
  async dispose(): Promise<void> {
    this.sqliteUpsert = undefined;
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
        for (const { p: period } of periods) {
          await em.query(`DELETE FROM cost_line_item WHERE billing_account_id = ${p(1)} AND billing_period_start = ${p(2)} AND x_source = 'unbilled'`, [accountId, period]);
        }
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
    const sql =
      `DELETE FROM cost_line_item WHERE billing_account_id = ${p(1)} AND billing_period_start = ${p(2)} ` +
      `AND x_source = 'unbilled' AND x_sync_run_id NOT IN (${runs.map((_, i) => p(i + 3)).join(', ')})`;
    const result = await this.writeLock.run(() => this.ds.query(sql, [accountId, billingPeriodStart, ...runs]));
    this.cache.invalidate();
    // pg answers [rows, count]; sqlite3 answers nothing useful here.
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
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
        await em.query(
          `DELETE FROM cost_line_item WHERE billing_account_id = ${p(1)} AND billing_period_start = ${p(2)} AND x_source = 'unbilled'`,
          [accountId, billingPeriodStart],
        );
        this.cache.invalidate();
        await em.query(
          `UPDATE cost_line_item SET x_source = 'billed' WHERE billing_account_id = ${p(1)} AND invoice_id = ${p(2)} AND x_source = '${PENDING_SOURCE}'`,
          [accountId, invoiceId],
        );
        const [{ n }] = (await em.query(
          `SELECT COUNT(*) AS n FROM cost_line_item WHERE billing_account_id = ${p(1)} AND billing_period_start = ${p(2)} AND invoice_id = ${p(3)} AND x_source = 'billed'`,
          [accountId, billingPeriodStart, invoiceId],
        )) as [{ n: number | string }];
        return Number(n);
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
    const perStatement = Math.floor(this.dialect.maxParams / this.columns.length);
    this.cache.invalidate();
    await this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        await em.query(
          `DELETE FROM cost_line_item WHERE billing_account_id = ${p(1)} AND sub_account_id = ${p(2)} AND billing_period_start = ${p(3)} AND x_source = '${ESTIMATED_SOURCE}'`,
          [accountId, subscriptionId, billingPeriodStart],
        );
        for (let i = 0; i < rows.length; i += perStatement) {
          const chunk = rows.slice(i, i + perStatement);
          const params: unknown[] = [];
          for (const row of chunk) for (const c of this.columns) params.push(row[c.property]);
          await em.query(this.upsertSql(chunk.length), params);
        }
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
    const sum = new GroupedSum<D>(dimensions);
    for (const cell of await this.aggregate(scope, dimensions, filter)) {
      const keys = Object.fromEntries(dimensions.map((d, i) => [d, cell.keys[i]])) as Record<D, string>;
      sum.add(keys, cell.currency, cell.amount, cell.count);
    }
    return { rows: sum.result(), totals: sum.totals() };
  }

  /**
   * Exact sums per group and currency. Reads the daily rollup when it can answer (dashboard
   * dimensions and time buckets), the raw line items otherwise (resource group, meter, tag).
   */
  aggregate(scope: AccessScope, groups: readonly CostGroup[], filter: CostFilter): Promise<CostCell[]> {
    const ids = scope.ids();
    const key = JSON.stringify([ids ?? '*', (ids ?? []).map((id) => scope.customersOf(id) ?? null), groups, filter]);
    return this.cache.get(key, () => this.aggregateUncached(scope, groups, filter));
  }

  private async aggregateUncached(scope: AccessScope, groups: readonly CostGroup[], filter: CostFilter): Promise<CostCell[]> {
    const filtered = Object.entries(filter.where ?? {}).filter(([, v]) => v !== undefined) as [CostDimension, readonly string[]][];
    const fromRollup = filter.readFrom !== 'raw' && [...groups, ...filtered.map(([d]) => d)].every((g) => ROLLUP_GROUPS.has(g));
    const { where: scoped, params } = this.whereClause(scope, filter, filtered);
    const where = fromRollup ? scoped : `${scoped} AND x_source <> '${PENDING_SOURCE}'`;
    const exprs = groups.map((g) => this.groupSql(g, filter.tagKey));
    const select = exprs.map((e, i) => `${e} AS d${i}, `).join('');
    const groupBy = [...exprs.map((_, i) => String(i + 1)), String(exprs.length + 1)].join(', ');
    if (fromRollup) {
      const limb = (i: number) => this.dialect.integerSumText(this.amountSql(scope, `billed_l${i}`, `list_l${i}`));
      const sql =
        `SELECT ${select}billing_currency AS currency, ${limb(0)} AS l0, ${limb(1)} AS l1, ${limb(2)} AS l2, ` +
        `${this.dialect.integerSumText('row_count')} AS n FROM cost_daily_rollup WHERE ${where} GROUP BY ${groupBy}`;
      const result: Record<string, string | null>[] = await this.ds.query(sql, params);
      return result.map((r) => ({
        keys: groups.map((_, i) => String(r[`d${i}`] ?? '')),
        currency: String(r.currency),
        amount: fromLimbSums(r.l0, r.l1, r.l2),
        count: Number(r.n),
      }));
    }
    const sql =
      `SELECT ${select}billing_currency AS currency, ` +
      `${this.dialect.exactSumParts(this.amountSql(scope, 'billed_cost', 'x_list_cost'))} AS parts, count(*) AS n ` +
      `FROM cost_line_item WHERE ${where} GROUP BY ${groupBy}`;
    const result: Record<string, string | null>[] = await this.ds.query(sql, params);
    // No parts: every amount of the group was NULL (list cost of rows synced before it existed).
    return result.map((r) => ({
      keys: groups.map((_, i) => String(r[`d${i}`] ?? '')),
      currency: String(r.currency),
      amount: sumDecimals((r.parts ?? '').split(',').filter(Boolean)),
      count: Number(r.n),
    }));
  }

  /**
   * Raw line items, keyset-paged on the primary key (stable while rows are added), under the scope
   * and filters. Customer-scoped views get the list cost in place of the partner's cost.
   */
  async lineItems(scope: AccessScope, filter: CostFilter, page: { limit: number; after?: { account: string; key: string } }): Promise<LineItemRow[]> {
    const filtered = Object.entries(filter.where ?? {}).filter(([, v]) => v !== undefined) as [CostDimension, readonly string[]][];
    const { where, params } = this.whereClause(scope, filter, filtered);
    if (where === '1 = 0') return [];
    let keyset = '';
    if (page.after) {
      params.push(page.after.account, page.after.key);
      keyset = ` AND (billing_account_id, x_natural_key) > (${this.dialect.param(params.length - 1)}, ${this.dialect.param(params.length)})`;
    }
    const amount = this.amountSql(scope, 'billed_cost', 'x_list_cost');
    const sql =
      `SELECT billing_account_id AS "accountId", x_natural_key AS "key", charge_period_start AS "day", x_cloud AS "cloud", x_customer_id AS "customerId", ` +
      `x_customer_name AS "customerName", sub_account_id AS "subscriptionId", service_name AS "service", region_id AS "region", ` +
      `x_resource_group AS "resourceGroup", resource_id AS "resourceId", x_meter_name AS "meter", x_charge_type AS "chargeType", ` +
      `consumed_quantity AS "quantity", consumed_unit AS "unit", ${amount} AS "amount", billing_currency AS "currency", ` +
      `COALESCE(invoice_id, '') AS "invoiceId", x_source AS "source" ` +
      `FROM cost_line_item WHERE ${where} AND x_source <> '${PENDING_SOURCE}'${keyset} ORDER BY billing_account_id, x_natural_key LIMIT ${Math.max(1, Math.floor(page.limit))}`;
    const rows: Record<string, unknown>[] = await this.ds.query(sql, params);
    return rows.map((r) => ({ ...(r as unknown as LineItemRow), quantity: normalizeDecimal(String(r.quantity)), amount: r.amount === null ? '0' : normalizeDecimal(String(r.amount)) }));
  }

  private groupSql(group: CostGroup, tagKey: string | undefined): string {
    if (group === 'day') return 'charge_period_start';
    if (group === 'month') return 'substr(charge_period_start, 1, 7)';
    if (group !== 'tag') return DIMENSION_COLUMNS[group];
    if (!tagKey || !/^[A-Za-z0-9 _.:-]{1,64}$/.test(tagKey)) throw new Error('grouping by tag needs a valid tag key');
    // The key is a validated literal (letters, digits, " _.:-"): no quote can reach the SQL.
    return this.dialect.name === 'postgres' ? `COALESCE(tags::jsonb ->> '${tagKey}', '')` : `COALESCE(json_extract(tags, '$."${tagKey}"'), '')`;
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
  ): { where: string; params: unknown[] } {
    const params: unknown[] = [filter.from, filter.to];
    const p = () => this.dialect.param(params.length);
    const clauses = [`charge_period_start >= ${this.dialect.param(1)}`, `charge_period_start <= ${this.dialect.param(2)}`];
    const ids = scope.ids();
    if (ids) {
      if (ids.length === 0) return { where: '1 = 0', params: [] };
      // Whole accounts, plus accounts seen through some customers only (customer-scoped grants).
      const whole = ids.filter((id) => !scope.customersOf(id));
      const parts: string[] = [];
      if (whole.length) {
        parts.push(`billing_account_id IN (${placeholders(this.dialect, whole.length, params.length)})`);
        params.push(...whole);
      }
      for (const id of ids.filter((a) => scope.customersOf(a))) {
        const customers = scope.customersOf(id)!;
        params.push(id);
        const account = p();
        parts.push(`(billing_account_id = ${account} AND x_customer_id IN (${placeholders(this.dialect, customers.length, params.length)}))`);
        params.push(...customers);
      }
      clauses.push(`(${parts.join(' OR ')})`);
    }
    for (const [dimension, values] of filtered) {
      if (values.length === 0) return { where: '1 = 0', params: [] };
      clauses.push(`${this.groupSql(dimension, filter.tagKey)} IN (${placeholders(this.dialect, values.length, params.length)})`);
      params.push(...values);
    }
    if (!filter.includeEstimated) clauses.push(`x_source <> '${ESTIMATED_SOURCE}'`);
    if (!filter.includeSandbox) {
      clauses.push('billing_account_id IN (SELECT id FROM account WHERE sandbox = ' + this.falseLiteral() + ')');
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
