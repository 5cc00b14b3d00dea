import { DataSource } from 'typeorm';
import { DAILY_ROLLUP, MONTHLY_DETAIL, MONTHLY_ROLLUP, MONTHLY_TAG } from './cost-aggregates';
import { dialectOf } from './sql-dialect';

/** What one account's billing month takes in the store. */
export interface StorageRow {
  accountId: string;
  /** YYYY-MM (billing period). */
  month: string;
  rawRows: number;
  /** Raw rows × the raw table's bytes per row (indexes included): an estimate. */
  rawBytes: number;
  aggregateRows: number;
  aggregateBytes: number;
  /** The raw rows of this month were pruned by the retention (the aggregates remain). */
  pruned: boolean;
}

// Per billing month: the span tables (decision 0028) mix billing months and are not shared out here.
const AGGREGATE_TABLES = [DAILY_ROLLUP.name, MONTHLY_ROLLUP.name, MONTHLY_DETAIL.name, MONTHLY_TAG.name];

/**
 * The store's size per account and billing month: raw line items and aggregate rows, with bytes
 * estimated from each table's size on disk (SQLite: dbstat, PostgreSQL: pg_total_relation_size,
 * indexes included) shared out per row. Scans the tables: for the CLI, not for requests.
 */
export async function storageReport(ds: DataSource): Promise<StorageRow[]> {
  const rows = new Map<string, StorageRow>();
  const row = (accountId: string, period: string) => {
    const month = period.slice(0, 7);
    const key = `${accountId}|${month}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { accountId, month, rawRows: 0, rawBytes: 0, aggregateRows: 0, aggregateBytes: 0, pruned: false }));
    return r;
  };
  const counts = async (table: string) =>
    (await ds.query(
      `SELECT billing_account_id AS a, billing_period_start AS p, count(*) AS n FROM ${table} GROUP BY billing_account_id, billing_period_start`,
    )) as { a: string; p: string; n: string | number }[];
  const raw = await counts('cost_line_item');
  const rawPerRow = await bytesPerRow(
    ds,
    'cost_line_item',
    raw.reduce((n, r) => n + Number(r.n), 0),
  );
  for (const r of raw) {
    const s = row(r.a, r.p);
    s.rawRows += Number(r.n);
    s.rawBytes += Math.round(Number(r.n) * rawPerRow);
  }
  for (const table of AGGREGATE_TABLES) {
    const agg = await counts(table);
    const perRow = await bytesPerRow(
      ds,
      table,
      agg.reduce((n, r) => n + Number(r.n), 0),
    );
    for (const r of agg) {
      const s = row(r.a, r.p);
      s.aggregateRows += Number(r.n);
      s.aggregateBytes += Math.round(Number(r.n) * perRow);
    }
  }
  const marks: { a: string; b: string }[] = await ds.query('SELECT account_id AS a, pruned_before AS b FROM cost_retention');
  const before = new Map(marks.map((m) => [m.a, m.b]));
  for (const r of rows.values()) r.pruned = (before.get(r.accountId) ?? '') > r.month;
  return [...rows.values()].sort((x, y) =>
    x.accountId === y.accountId ? (x.month < y.month ? -1 : 1) : x.accountId < y.accountId ? -1 : 1,
  );
}

async function bytesPerRow(ds: DataSource, table: string, rowCount: number): Promise<number> {
  if (rowCount === 0) return 0;
  let bytes: number;
  if (dialectOf(ds).name === 'postgres') {
    const [{ b }] = await ds.query(`SELECT pg_total_relation_size(to_regclass($1)) AS b`, [table]);
    bytes = Number(b);
  } else {
    const [{ b }] = await ds.query(
      `SELECT sum(pgsize) AS b FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = ?)`,
      [table],
    );
    bytes = Number(b);
  }
  return bytes / rowCount;
}
