import { DataSource, EntityManager } from 'typeorm';

/** The few places where SQLite and PostgreSQL SQL differ, in one spot. */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** Placeholder for the n-th (1-based) bound parameter. */
  param(n: number): string;
  /**
   * Aggregate giving an exact sum of a decimal column as text, or a comma list of exact values for
   * the caller to add (SQLite has no exact decimal SUM: its SUM goes through binary floats).
   */
  exactSumParts(column: string): string;
  /** Exact SUM of an integer column, as text (SQLite integers beyond 2^53 must not pass through a JS number). */
  integerSumText(expr: string): string;
  /**
   * The amount columns of an aggregate read from its three limb expressions (libs/finops limbs.ts):
   * SQLite, the limb sums `l0, l1, l2` (a read thread recombines them, off the event loop);
   * PostgreSQL, the exact decimal `amount` in fromLimbSums's form, computed by the server in numeric —
   * PostgreSQL's rows arrive on the event loop, where recombining 15k of them took ~40 ms (decision 0032).
   */
  limbAmountColumns(limbs: readonly [string, string, string]): string;
  /**
   * The column as an expression its indexes cannot serve (SQLite: unary +). SQLite plans without
   * statistics and takes any index an equality or IN touches; PostgreSQL plans from its own.
   */
  unindexed(column: string): string;
  /** A table read by a full scan, whatever indexes its conditions touch (PostgreSQL: the table as it is). */
  scanned(table: string): string;
  /** Most bound parameters one statement may carry. */
  readonly maxParams: number;
}

const sqlite: SqlDialect = {
  name: 'sqlite',
  param: () => '?',
  exactSumParts: (column) => `group_concat(${column}, ',')`,
  integerSumText: (expr) => `CAST(SUM(${expr}) AS TEXT)`,
  limbAmountColumns: (limbs) => limbs.map((l, i) => `CAST(SUM(${l}) AS TEXT) AS l${i}`).join(', '),
  unindexed: (column) => `+${column}`,
  scanned: (table) => `${table} NOT INDEXED`,
  maxParams: 32_000,
};

const postgres: SqlDialect = {
  name: 'postgres',
  param: (n) => `$${n}`,
  exactSumParts: (column) => `sum(${column})::text`,
  integerSumText: (expr) => `SUM(${expr})::text`,
  // Units of 10^-24 (l0·10^18 + l1·10^9 + l2), times 10^-24: numeric multiplication is exact (no
  // division's rounding); trim_scale drops the trailing zeros, as fromLimbSums does ('0' for zero).
  limbAmountColumns: ([l0, l1, l2]) =>
    `trim_scale((SUM(${l0})::numeric * 1000000000000000000 + SUM(${l1})::numeric * 1000000000 + SUM(${l2})) * 0.000000000000000000000001)::text AS amount`,
  unindexed: (column) => column,
  scanned: (table) => table,
  maxParams: 65_000,
};

export function dialectOf(ds: DataSource): SqlDialect {
  return ds.options.type === 'postgres' ? postgres : sqlite;
}

/** "$1, $2, …" or "?, ?, …" starting after `offset` parameters. */
export function placeholders(dialect: SqlDialect, count: number, offset = 0): string {
  return Array.from({ length: count }, (_, i) => dialect.param(offset + i + 1)).join(', ');
}

/**
 * Rows per multi-row PostgreSQL statement. node-postgres serializes a statement's parameters in one
 * synchronous step on the event loop: 1,600 rows (65k parameters) took 20–40 ms of it, and a year's
 * aggregate upsert of ~4,000 groups built and bound in one piece held the loop for 35 ms plus its GC
 * (docs/performance.md, third session of 2026-12-04).
 */
export const PG_ROWS_PER_STATEMENT = 500;

/** Rows of `width` parameters each that one statement may carry. */
export function rowsPerStatement(dialect: SqlDialect, width: number): number {
  const byParams = Math.floor(dialect.maxParams / width);
  return dialect.name === 'postgres' ? Math.min(PG_ROWS_PER_STATEMENT, byParams) : byParams;
}

/** node-postgres's own connection under TypeORM's query runner: it runs named (prepared) statements. */
export interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<unknown>;
}

/** The transaction's node-postgres connection, when `em` runs in one (PostgreSQL only). */
export function pgConnectionOf(em: EntityManager): PgConnection | undefined {
  return (em.queryRunner as unknown as { databaseConnection?: PgConnection } | undefined)?.databaseConnection;
}

/** A prepared statement of the SQLite driver (better-sqlite3: runs synchronously). */
export interface SqliteStatement {
  run(params: unknown[]): { changes: number };
  get(params: unknown[]): unknown;
  all(params: unknown[]): unknown[];
}

/**
 * The SQLite data source's one better-sqlite3 connection, for bulk writes that prepare a statement
 * once and run it row by row (inside a transaction opened through TypeORM on the same connection).
 */
export function sqliteConnection(ds: DataSource): { prepare(sql: string): SqliteStatement } {
  return (ds.driver as unknown as { databaseConnection: { prepare(sql: string): SqliteStatement } }).databaseConnection;
}
