import { Worker } from 'node:worker_threads';
import type { Pool, QueryArrayResult } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

export interface ReadOptions {
  /**
   * Columns holding a comma list of exact decimals (SqlDialect.exactSumParts on SQLite). A reader
   * may replace such a list by its exact sum — same meaning, one value — so that summing a million
   * parts happens beside the query, not on the event loop. Callers still sum what they get.
   */
  exactSumColumns?: readonly string[];
  /**
   * Rows carry limb sums `l0`, `l1`, `l2` (an aggregate read): a reader may replace them by their
   * recombined exact amount in `amount` (finops' fromLimbSums), so that the BigInt work and its
   * garbage — per cell of a breakdown of thousands — stay off the event loop. Callers recombine
   * what still has limbs.
   */
  limbAmounts?: boolean;
}

/** A read's rows as arrays, each value at its column's position in `columns`. */
export interface RowTable {
  columns: readonly string[];
  rows: unknown[][];
}

/**
 * Where the store's long reads run (docs/decisions/0016-sqlite-reads-off-the-main-thread.md): a
 * pool of read-only connections in worker threads for an SQLite file, the data source itself
 * otherwise. Reads see committed data only.
 */
export interface StoreReader {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: ReadOptions): Promise<T[]>;
  /**
   * The same read with rows as arrays: no object (and its keys) per row. An aggregate read is up to
   * ~16k rows, and building those objects was most of its main-thread work on PostgreSQL (decision 0034).
   */
  queryArrays(sql: string, params?: readonly unknown[], options?: ReadOptions): Promise<RowTable>;
  /** Reads that run at the same time, each on its own connection and core (decision 0032). */
  readonly parallelism: number;
  close(): Promise<void>;
}

/**
 * The data source as the reader: PostgreSQL already runs queries on its own connections, off the
 * event loop; an in-memory SQLite database has no file another connection could open.
 */
export class DataSourceReader implements StoreReader {
  constructor(
    private readonly ds: DataSource,
    /**
     * PostgreSQL: statements of one read sent at once, each on its own pooled connection and backend
     * (decision 0032). An SQLite data source has one connection: 1.
     */
    readonly parallelism = 1,
  ) {}

  query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.ds.query(sql, [...params]);
  }

  async queryArrays(sql: string, params: readonly unknown[] = []): Promise<RowTable> {
    if (this.ds.options.type === 'postgres') {
      // node-pg's own array rows, from the pool TypeORM opened (its connections carry the session
      // settings of data-source.ts). TypeORM's query() has no row mode: it would build the objects.
      const pool = (this.ds.driver as PostgresDriver).master as Pool;
      try {
        const result: QueryArrayResult = await pool.query({ text: sql, values: [...params], rowMode: 'array' });
        return { columns: result.fields.map((f) => f.name), rows: result.rows };
      } catch (err) {
        throw new QueryFailedError(sql, [...params], err as Error);
      }
    }
    const objects: Record<string, unknown>[] = await this.ds.query(sql, [...params]);
    const columns = objects.length === 0 ? [] : Object.keys(objects[0]);
    return { columns, rows: objects.map((o) => columns.map((c) => o[c])) };
  }

  async close(): Promise<void> {
    // The data source belongs to the store.
  }
}

export interface SqliteReadPoolOptions {
  /** Worker threads, each with one read-only connection. */
  size: number;
  /** Reads waiting for a thread beyond this are refused at once (the caller gets an error, not a hang). */
  maxQueued: number;
  /** How long a read waits for a lock (WAL recovery, a TRUNCATE checkpoint) before SQLITE_BUSY. */
  busyTimeoutMs: number;
  /**
   * Linux: how much nicer than the process the read threads run (nice is capped at 19). On a busy
   * machine the scans would otherwise take CPU from the thread that serves requests, which then
   * stalls as if blocked.
   */
  threadNice: number;
}

interface ReadJob {
  sql: string;
  params: unknown[];
  exactSumColumns: readonly string[];
  limbAmounts: boolean;
  /** Rows as objects (query) or arrays (queryArrays). */
  shape: 'objects' | 'arrays';
  resolve(result: unknown[] | RowTable): void;
  reject(err: Error): void;
}

interface ReadThread {
  worker: Worker;
  job?: ReadJob & { rows: unknown[]; columns: readonly string[] };
}

/** A chunk of rows by column (the read loop's `send`): values per row, or distinct values and an index per row. */
type ReadColumn = { name: string; values: unknown[] } | { name: string; distinct: unknown[]; index: Uint32Array };

type ReadReply =
  | { columns: ReadColumn[]; length: number; done: boolean }
  | { error: { message: string; code?: string } };

/** A crashing thread is replaced, but not in a tight loop: after this many deaths in a row, reads fail until one succeeds. */
const MAX_CONSECUTIVE_DEATHS = 3;

/**
 * Read-only better-sqlite3 connections to one SQLite file, one per worker thread, that run the
 * store's long reads (raw and rollup aggregates, line items, reconciliation) so that a read scanning
 * a million rows never blocks the event loop serving every other request (better-sqlite3 is
 * synchronous). Under WAL each read is its own snapshot of committed data and never waits for the
 * writer. Rows come back by structured clone in chunks, one message each, so that decoding a large
 * result does not block the loop for long either.
 */
export class SqliteReadPool implements StoreReader {
  private readonly threads: ReadThread[] = [];
  private readonly queue: ReadJob[] = [];
  private closed = false;
  private deathsInARow = 0;

  private constructor(
    private readonly databaseFile: string,
    private readonly options: SqliteReadPoolOptions,
  ) {
    this.topUp();
  }

  static open(databaseFile: string, options: Partial<SqliteReadPoolOptions> = {}): SqliteReadPool {
    const size = Math.max(1, Math.floor(options.size ?? 2));
    return new SqliteReadPool(databaseFile, { size, maxQueued: options.maxQueued ?? 1000, busyTimeoutMs: options.busyTimeoutMs ?? 10_000, threadNice: options.threadNice ?? 10 });
  }

  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: ReadOptions = {}): Promise<T[]> {
    return this.enqueue(sql, params, options, 'objects').then((r) => r as T[]);
  }

  queryArrays(sql: string, params: readonly unknown[] = [], options: ReadOptions = {}): Promise<RowTable> {
    return this.enqueue(sql, params, options, 'arrays').then((r) => r as RowTable);
  }

  private enqueue(sql: string, params: readonly unknown[], options: ReadOptions, shape: ReadJob['shape']): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('SqliteReadPool: the store is closed'));
    if (this.queue.length >= this.options.maxQueued) {
      return Promise.reject(new Error(`SqliteReadPool: ${this.queue.length} reads already waiting (maxQueued ${this.options.maxQueued})`));
    }
    return new Promise((resolve, reject) => {
      // better-sqlite3 binds numbers, bigints, strings, buffers and null; TypeORM hands booleans as 1/0 too.
      const bound = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p === undefined ? null : p));
      this.queue.push({ sql, params: bound, exactSumColumns: options.exactSumColumns ?? [], limbAmounts: options.limbAmounts ?? false, shape, resolve, reject });
      this.topUp();
      this.dispatch();
    });
  }

  /** Refuses queued reads, lets running ones finish, then closes every connection (before the store's own). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('SqliteReadPool: the store is closed'));
    await Promise.all(
      this.threads.map(({ worker }) => {
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.ref();
        worker.postMessage({ close: true });
        return exited;
      }),
    );
  }

  /** Threads alive (a dead one is replaced). */
  get threadCount(): number {
    return this.threads.length;
  }

  get parallelism(): number {
    return Math.max(1, this.threads.length);
  }

  private dispatch(): void {
    for (const thread of this.threads) {
      if (this.queue.length === 0) return;
      if (thread.job) continue;
      const job = this.queue.shift()!;
      thread.job = { ...job, rows: [], columns: [] };
      // A waiting read keeps the process alive; an idle pool does not.
      thread.worker.ref();
      thread.worker.postMessage({ sql: job.sql, params: job.params, exactSumColumns: job.exactSumColumns, limbAmounts: job.limbAmounts });
    }
  }

  private startThread(): ReadThread {
    const worker = new Worker(READ_LOOP, {
      eval: true,
      workerData: { databaseFile: this.databaseFile, busyTimeoutMs: this.options.busyTimeoutMs, chunkRows: CHUNK_ROWS, threadNice: this.options.threadNice },
    });
    const thread: ReadThread = { worker };
    worker.unref();
    worker.on('message', (reply: ReadReply) => this.onReply(thread, reply));
    let failure: Error | undefined;
    worker.on('error', (err) => (failure = err));
    worker.on('exit', (code) => this.onExit(thread, code, failure));
    return thread;
  }

  private onReply(thread: ReadThread, reply: ReadReply): void {
    const job = thread.job;
    if (!job) return;
    if ('error' in reply) {
      const driverError = Object.assign(new Error(reply.error.message), { code: reply.error.code });
      this.finish(thread);
      job.reject(new QueryFailedError(job.sql, job.params, driverError));
      return;
    }
    if (job.shape === 'arrays') {
      job.columns = reply.columns.map((c) => c.name);
      for (const row of arraysOf(reply.columns, reply.length)) job.rows.push(row);
    } else for (const row of rowsOf(reply.columns, reply.length)) job.rows.push(row);
    if (!reply.done) return;
    this.deathsInARow = 0;
    this.finish(thread);
    job.resolve(job.shape === 'arrays' ? { columns: job.columns, rows: job.rows as unknown[][] } : job.rows);
  }

  private finish(thread: ReadThread): void {
    thread.job = undefined;
    thread.worker.unref();
    this.dispatch();
  }

  private onExit(thread: ReadThread, code: number, failure: Error | undefined): void {
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    const job = thread.job;
    thread.job = undefined;
    const reason = failure?.message ?? `exit code ${code}`;
    job?.reject(new Error(`SqliteReadPool: the read thread died (${reason}) running: ${job.sql.slice(0, 200)}`));
    this.threads.splice(index, 1);
    if (this.closed) return;
    this.deathsInARow++;
    if (this.deathsInARow >= MAX_CONSECUTIVE_DEATHS) {
      // The file cannot be opened, or every read kills the thread: fail what waits rather than loop;
      // the next read starts a thread again.
      for (const waiting of this.queue.splice(0)) waiting.reject(new Error(`SqliteReadPool: read threads keep dying (${reason})`));
      return;
    }
    this.topUp();
    this.dispatch();
  }

  /** Replaces threads that died. */
  private topUp(): void {
    while (this.threads.length < this.options.size) this.threads.push(this.startThread());
  }
}

/** Rows per message back to the main thread: rebuilding one chunk's objects takes a millisecond or two there. */
const CHUNK_ROWS = 4000;

/** The row objects of a chunk sent by columns, every row with the statement's columns in order. */
function rowsOf(columns: readonly ReadColumn[], length: number): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const row: Record<string, unknown> = {};
    for (const c of columns) row[c.name] = 'index' in c ? c.distinct[c.index[i]] : c.values[i];
    rows[i] = row;
  }
  return rows;
}

/** The rows of a chunk sent by columns, as arrays in the columns' order. */
function arraysOf(columns: readonly ReadColumn[], length: number): unknown[][] {
  const rows: unknown[][] = new Array(length);
  for (let i = 0; i < length; i++) {
    const row: unknown[] = new Array(columns.length);
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c];
      row[c] = 'index' in column ? column.distinct[column.index[i]] : column.values[i];
    }
    rows[i] = row;
  }
  return rows;
}

/**
 * The thread's loop. Plain JavaScript evaluated in the worker (as WalCheckpointer does), so it
 * runs the same from sources under Jest and from the built library. The exact sum mirrors the
 * integer path of finops' sumDecimals (BigInt at the largest scale; beyond 60 significant digits,
 * where decimal.js would round, the list is left for the caller); sqlite-read-pool.spec.ts holds
 * them equal.
 */
const READ_LOOP = `
const { parentPort, workerData } = require('node:worker_threads');
// Linux keeps a nice value per thread, so this lowers only this thread; elsewhere it would lower the
// whole process, serving thread included.
if (process.platform === 'linux' && workerData.threadNice > 0) {
  try {
    const os = require('node:os');
    os.setPriority(Math.min(19, os.getPriority() + workerData.threadNice));
  } catch {
    // not permitted: run at the process's priority
  }
}
const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
const db = new Database(workerData.databaseFile, { readonly: true, fileMustExist: true, timeout: workerData.busyTimeoutMs });
db.pragma('query_only = ON');
const statements = new Map();
const MAX_STATEMENTS = 200;
function prepared(sql) {
  let stmt = statements.get(sql);
  if (stmt) {
    statements.delete(sql);
  } else {
    stmt = db.prepare(sql);
    if (!stmt.reader) throw Object.assign(new Error('SqliteReadPool runs reads only: ' + sql.slice(0, 80)), { code: 'MERIDIAN_NOT_A_READ' });
    stmt.raw(true);
    if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value);
  }
  statements.set(sql, stmt);
  return stmt;
}
const DECIMAL = /^(-?)(\\d+)(?:\\.(\\d*))?(?:[eE]([+-]?\\d+))?$/;
const PRECISION = 60;
function exactSum(list) {
  if (typeof list !== 'string' || list === '') return list;
  const values = list.split(',');
  const parsed = [];
  let scale = 0;
  let intDigits = 0;
  for (const v of values) {
    if (v === '') continue;
    const m = DECIMAL.exec(v);
    if (!m) return list;
    let digits = m[2] + (m[3] || '');
    let s = (m[3] || '').length - (m[4] ? Number(m[4]) : 0);
    if (s < 0) { digits += '0'.repeat(-s); s = 0; }
    if (s > PRECISION) return list;
    const d = digits.length - s;
    if (d > intDigits) intDigits = d;
    if (s > scale) scale = s;
    parsed.push([m[1] === '-', digits, s]);
  }
  if (intDigits + String(parsed.length).length + scale > PRECISION) return list;
  let total = 0n;
  for (const [negative, digits, s] of parsed) {
    const n = BigInt(digits + '0'.repeat(scale - s));
    total += negative ? -n : n;
  }
  if (total === 0n) return '0';
  const negative = total < 0n;
  let text = (negative ? -total : total).toString();
  if (text.length <= scale) text = '0'.repeat(scale - text.length + 1) + text;
  const int = text.slice(0, text.length - scale);
  const frac = text.slice(text.length - scale).replace(/0+$/, '');
  return (negative ? '-' : '') + int + (frac ? '.' + frac : '');
}
// finops' fromLimbSums (limbs.ts), the same integer steps; sqlite-read-pool.spec.ts holds them equal.
const E9N = 1000000000n;
const E18N = E9N * E9N;
const INTEGER = /^-?\\d+$/;
function limbInteger(v) {
  if (v === null || v === undefined) return 0n;
  const text = String(v);
  if (!INTEGER.test(text)) throw new Error('not an integer limb sum: ' + JSON.stringify(v));
  return BigInt(text);
}
function fromLimbSums(l0, l1, l2) {
  const units = limbInteger(l0) * E18N + limbInteger(l1) * E9N + limbInteger(l2);
  if (units === 0n) return '0';
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(25, '0');
  const int = digits.slice(0, -24).replace(/^0+(?=\\d)/, '');
  const frac = digits.slice(-24).replace(/0+$/, '');
  return (negative ? '-' : '') + int + (frac ? '.' + frac : '');
}
// Rows of limb sums with the amount in place of l0–l2 (a missing limb counts as 0, as in fromLimbSums).
function withAmounts(names, rows) {
  const limbs = ['l0', 'l1', 'l2'].map((n) => names.indexOf(n));
  const kept = [];
  names.forEach((n, i) => { if (!limbs.includes(i)) kept.push(i); });
  const at = (row, i) => (i < 0 ? null : row[i]);
  return {
    names: [...kept.map((i) => names[i]), 'amount'],
    rows: rows.map((row) => {
      const out = new Array(kept.length + 1);
      for (let k = 0; k < kept.length; k++) out[k] = row[kept[k]];
      out[kept.length] = fromLimbSums(at(row, limbs[0]), at(row, limbs[1]), at(row, limbs[2]));
      return out;
    }),
  };
}
parentPort.on('message', (m) => {
  if (m.close) {
    db.close();
    parentPort.close();
    return;
  }
  let names;
  let rows;
  try {
    // Rows as arrays (the statement is raw): no object per row here, only the columns sent.
    const stmt = prepared(m.sql);
    names = stmt.columns().map((c) => c.name);
    rows = stmt.all(m.params);
    for (const column of m.exactSumColumns) {
      const at = names.indexOf(column);
      if (at >= 0) for (const row of rows) row[at] = exactSum(row[at]);
    }
    if (m.limbAmounts) ({ names, rows } = withAmounts(names, rows));
  } catch (err) {
    parentPort.postMessage({ error: { message: String(err && err.message || err), code: err && err.code } });
    return;
  }
  const size = workerData.chunkRows;
  for (let i = size; i < rows.length; i += size) send(names, rows.slice(i - size, i), false);
  send(names, rows.slice(Math.max(0, Math.ceil(rows.length / size) - 1) * size), true);
});
// A chunk as columns: one array per column, or, for a column that repeats few values (dimension
// keys, currencies), those values once and an index per row in a transferred Uint32Array. Cloning
// 15.8k row objects (their keys again in every row) cost ~2x the columns (micro-benchmark, issue 15).
function send(names, rows, done) {
  const columns = [];
  const transfer = [];
  for (let c = 0; c < names.length; c++) {
    const name = names[c];
    const seen = new Map();
    const index = new Uint32Array(rows.length);
    let plain = false;
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i][c];
      let k = seen.get(v);
      if (k === undefined) {
        if (seen.size * 4 >= rows.length) { plain = true; break; }
        k = seen.size;
        seen.set(v, k);
      }
      index[i] = k;
    }
    if (plain) {
      const values = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = rows[i][c];
      columns.push({ name, values });
    } else {
      columns.push({ name, distinct: [...seen.keys()], index });
      transfer.push(index.buffer);
    }
  }
  parentPort.postMessage({ columns, length: rows.length, done }, transfer);
}
`;
