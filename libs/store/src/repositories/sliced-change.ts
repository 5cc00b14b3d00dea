import { performance } from 'node:perf_hooks';
import type { EntityManager } from 'typeorm';
import type { SqlDialect } from './sql-dialect';
import { AdaptiveBatch, LoopSlicer } from './yield';

/**
 * Deletes (`set` undefined) or updates the rows of `table` matching `where`, inside the caller's
 * transaction, and returns how many changed. PostgreSQL: one statement (it runs on its own
 * connection, the event loop waits for nothing). SQLite: many short statements —
 * `rowid IN (SELECT rowid … LIMIT n)`, n sized by time — with the loop let go in between, because one
 * better-sqlite3 statement over a month of a big account's rows holds the embedded mode's event
 * loop for seconds (4,955 rows took 45 ms to update on this machine).
 *
 * Only for a `where` the change makes false (deleted rows, or rows updated out of it) — otherwise
 * the loop would not end — and that an index finds, so each batch starts where the rows are.
 */
export async function changeInSlices(
  em: EntityManager,
  dialect: SqlDialect,
  {
    table,
    set,
    where,
    params,
    key = ['rowid'],
  }: {
    table: string;
    set?: string;
    where: string;
    params: readonly unknown[];
    /** The columns that identify a row: rowid, or the primary key of a WITHOUT ROWID table. */
    key?: readonly string[];
  },
  slicer = new LoopSlicer(),
): Promise<number> {
  const change = set === undefined ? `DELETE FROM ${table}` : `UPDATE ${table} SET ${set}`;
  if (dialect.name !== 'sqlite') return affected(await runner(em).query(`${change} WHERE ${where}`, [...params], true));
  const batch = new AdaptiveBatch(slicer.budgetMs);
  const columns = key.length === 1 ? key[0] : `(${key.join(', ')})`;
  const sql = `${change} WHERE ${columns} IN (SELECT ${key.join(', ')} FROM ${table} WHERE ${where} LIMIT ?)`;
  let total = 0;
  for (;;) {
    await slicer.pause();
    const limit = batch.size;
    const started = performance.now();
    const n = affected(await runner(em).query(sql, [...params, limit], true));
    batch.record(n, performance.now() - started);
    total += n;
    if (n < limit) return total;
  }
}

function runner(em: EntityManager) {
  if (!em.queryRunner) throw new Error('changeInSlices runs inside a transaction');
  return em.queryRunner;
}

function affected(result: { affected?: number | null }): number {
  return Number(result.affected ?? 0);
}
