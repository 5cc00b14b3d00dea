import { CostDimension } from '@meridian/contracts';
import { GroupedAmount, GroupedSum } from '@meridian/finops';
import { DataSource } from 'typeorm';
import { AccessScope } from '../access-scope';
import { CostLineItemEntity, CostRow } from '../entities/cost-line-item.entity';
import { dialectOf, placeholders, SqlDialect } from './sql-dialect';
import { WriteLock } from './write-lock';

/** SQL column behind each breakdown dimension. */
export const DIMENSION_COLUMNS: Record<CostDimension, string> = {
  service: 'service_name',
  region: 'region_id',
  account: 'billing_account_id',
  cloud: 'x_cloud',
  customer: 'x_customer_id',
  subscription: 'sub_account_id',
  resourceGroup: 'x_resource_group',
  meter: 'x_meter_id',
  chargeType: 'x_charge_type',
};

interface SqliteStatement {
  run(params: unknown[], cb: (err: Error | null) => void): void;
  finalize(cb?: () => void): void;
}

export interface CostFilter {
  from: string;
  to: string;
  includeSandbox: boolean;
}

export class CostRepository {
  private readonly dialect: SqlDialect;
  private readonly columns: { property: keyof CostRow; column: string }[];
  private readonly upsertSqlCache = new Map<number, string>();

  constructor(
    private readonly ds: DataSource,
    private readonly writeLock: WriteLock,
  ) {
    this.dialect = dialectOf(ds);
    this.columns = ds
      .getMetadata(CostLineItemEntity)
      .columns.map((c) => ({ property: c.propertyName as keyof CostRow, column: c.databaseName }));
  }

  /**
   * Inserts or replaces rows by (billing_account_id, x_natural_key), in statements of as many rows
   * as the driver's parameter limit allows, all in one transaction.
   */
  async upsert(rows: readonly CostRow[]): Promise<void> {
    if (rows.length === 0) return;
    const perStatement = Math.floor(this.dialect.maxParams / this.columns.length);
    await this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        for (let i = 0; i < rows.length; i += perStatement) {
          const chunk = rows.slice(i, i + perStatement);
          const params: unknown[] = [];
          for (const row of chunk) for (const c of this.columns) params.push(row[c.property]);
          if (this.dialect.name === 'sqlite' && chunk.length === perStatement) await this.runPreparedSqlite(chunk.length, params);
          else await em.query(this.upsertSql(chunk.length), params);
        }
      }),
    );
  }

  /**
   * SQLite: full-size chunks reuse one prepared statement instead of parsing a ~100 KB INSERT each
   * time (on the driver's single connection, inside the transaction opened above).
   */
  private prepared?: { rows: number; stmt: SqliteStatement };
  private runPreparedSqlite(rowCount: number, params: unknown[]): Promise<void> {
    if (this.prepared?.rows !== rowCount) {
      this.prepared?.stmt.finalize();
      const db = (this.ds.driver as unknown as { databaseConnection: { prepare(sql: string): SqliteStatement } }).databaseConnection;
      this.prepared = { rows: rowCount, stmt: db.prepare(this.upsertSql(rowCount)) };
    }
    const stmt = this.prepared.stmt;
    return new Promise((resolve, reject) => stmt.run(params, (err) => (err ? reject(err) : resolve())));
  }

  /** Releases prepared statements (before the connection closes). */
  async dispose(): Promise<void> {
    const stmt = this.prepared?.stmt;
    this.prepared = undefined;
    if (stmt) await new Promise<void>((resolve) => stmt.finalize(() => resolve()));
  }

  /**
   * Removes the account's unbilled rows of a billing period that the given run did not write: after
   * a complete read of the period, anything older is an estimate Partner Center no longer reports.
   */
  async deleteUnbilledNotWrittenBy(accountId: string, billingPeriodStart: string, syncRunId: string): Promise<number> {
    const p = (n: number) => this.dialect.param(n);
    const sql =
      `DELETE FROM cost_line_item WHERE billing_account_id = ${p(1)} AND billing_period_start = ${p(2)} ` +
      `AND x_source = 'unbilled' AND x_sync_run_id <> ${p(3)}`;
    const result = await this.writeLock.run(() => this.ds.query(sql, [accountId, billingPeriodStart, syncRunId]));
    // pg answers [rows, count]; sqlite3 answers nothing useful here.
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }

  /** Exact sums by the given dimensions and currency, over usage days from..to (inclusive). */
  async breakdown<D extends CostDimension>(
    scope: AccessScope,
    dimensions: readonly D[],
    filter: CostFilter,
  ): Promise<{ rows: GroupedAmount<D>[]; totals: { currency: string; amount: string }[] }> {
    const dims = dimensions.map((d) => DIMENSION_COLUMNS[d]);
    const { where, params } = this.whereClause(scope, filter);
    const select = dims.map((col, i) => `${col} AS d${i}`).join(', ');
    const sql =
      `SELECT ${select}${select ? ', ' : ''}billing_currency AS currency, ` +
      `${this.dialect.exactSumParts(this.amountColumn(scope))} AS parts, count(*) AS n FROM cost_line_item WHERE ${where} ` +
      `GROUP BY ${[...dims, 'billing_currency'].join(', ')}`;
    const result: Record<string, string>[] = await this.ds.query(sql, params);
    const sum = new GroupedSum<D>(dimensions);
    for (const r of result) {
      const keys = Object.fromEntries(dimensions.map((d, i) => [d, r[`d${i}`]])) as Record<D, string>;
      sum.add(keys, r.currency, '0', Number(r.n));
      // No parts: every amount of the group was NULL (list cost of rows synced before it existed).
      for (const part of (r.parts ?? '').split(',').filter(Boolean)) sum.add(keys, r.currency, part, 0);
    }
    return { rows: sum.result(), totals: sum.totals() };
  }

  /**
   * The amount a scope may see: the partner's cost (billed_cost), except in accounts seen through
   * customer-scoped grants, where it is the list price — a reseller or customer never sees the
   * partner's cost price. Account ids come from the store's own scope, quoted as literals.
   */
  private amountColumn(scope: AccessScope): string {
    const limited = (scope.ids() ?? []).filter((id) => scope.customersOf(id));
    if (limited.length === 0) return 'billed_cost';
    const list = limited.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');
    return `CASE WHEN billing_account_id IN (${list}) THEN x_list_cost ELSE billed_cost END`;
  }

  private whereClause(scope: AccessScope, filter: CostFilter): { where: string; params: unknown[] } {
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
