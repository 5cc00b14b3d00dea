/**
 * The SQLite read pool runs reads on read-only connections in worker threads: the event loop keeps
 * turning during a long read, committed writes are seen, writes are refused, errors carry SQLite's
 * message, the queue is bounded, a dead thread is replaced, and exact sums match exact-sum.ts.
 */
import * as fs from 'node:fs';
import { fromLimbSums } from '@meridian/finops';
import { QueryFailedError } from 'typeorm';
import { AccessScope } from './access-scope';
import { exactSum } from './repositories/exact-sum';
import { SecretBox } from './secret-box';
import { DataSourceReader, SqliteReadPool } from './sqlite-read-pool';
import { Store } from './store';
import { createTestStore, sampleCostRow, type TestStore } from './testing';

/** CPU time this thread has used, in ms (Linux schedstat); undefined elsewhere. */
function mainThreadCpuMs(): number | undefined {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** A read that takes a few hundred milliseconds of CPU and touches no table. */
const SLOW_READ = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) AS n FROM c';

describe('SqliteReadPool', () => {
  let test: TestStore;
  let store: Store;
  let file: string;
  const pools: SqliteReadPool[] = [];
  const pool = (options: Parameters<typeof SqliteReadPool.open>[1] = {}) => {
    const p = SqliteReadPool.open(file, options);
    pools.push(p);
    return p;
  };

  beforeAll(async () => {
    test = await createTestStore('sqlite');
    file = (test.config as { database: string }).database;
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 3)));
  });
  afterAll(async () => {
    for (const p of pools) await p.close();
    await store.close();
    await test.drop();
  });

  it('is the store reader of an SQLite file, and sees what the store committed', async () => {
    expect(store.reads).toBeInstanceOf(SqliteReadPool);
    await store.costs.upsert([sampleCostRow({ billingAccountId: 'acc-r', billedCost: '1.25' }), sampleCostRow({ billingAccountId: 'acc-r', billedCost: '2.5' })]);
    const rows = await store.reads.query<{ n: number }>('SELECT count(*) AS n FROM cost_line_item WHERE billing_account_id = ?', ['acc-r']);
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('is the data source itself for PostgreSQL and for an in-memory SQLite store (no file to share), objects and arrays', async () => {
    const pg = await createTestStore('postgres');
    const stores = [
      await Store.open(pg.config, SecretBox.fromKey(Buffer.alloc(32, 4))),
      await Store.open({ type: 'sqlite', database: ':memory:' }, SecretBox.fromKey(Buffer.alloc(32, 5))),
    ];
    try {
      for (const s of stores) {
        expect(s.reads).toBeInstanceOf(DataSourceReader);
        await s.costs.upsert([sampleCostRow({ billingAccountId: 'acc-m', billedCost: '0.1' }), sampleCostRow({ billingAccountId: 'acc-m', billedCost: '0.2' })]);
        const [cell] = await s.costs.aggregate(AccessScope.all(), ['account'], { from: '2000-01-01', to: '2100-12-31', includeSandbox: true, readFrom: 'raw' });
        expect(cell.amount).toBe('0.3');
        // Arrays: node-pg's array rows on PostgreSQL, on the pool's connections, which are the
        // store's own (its schema and session settings); converted objects on in-memory SQLite.
        const postgres = s.dataSource.options.type === 'postgres';
        const table = await s.reads.queryArrays(
          `SELECT billing_account_id AS a, count(*) AS n FROM cost_line_item WHERE billing_account_id = ${postgres ? '$1' : '?'} GROUP BY 1`,
          ['acc-m'],
        );
        expect(table).toEqual({ columns: ['a', 'n'], rows: [['acc-m', postgres ? '2' : 2]] });
        if (postgres) expect((await s.reads.queryArrays('SHOW work_mem')).rows).toEqual([['32MB']]);
        // As TypeORM's query() fails: a QueryFailedError on PostgreSQL, the driver's own error on SQLite.
        const failed = s.reads.queryArrays('SELECT no_such_column FROM cost_line_item');
        await (postgres ? expect(failed).rejects.toBeInstanceOf(QueryFailedError) : expect(failed).rejects.toThrow(/no such column/));
      }
    } finally {
      for (const s of stores) await s.close();
      await pg.drop();
    }
  });

  it('keeps the event loop turning while a long read runs', async () => {
    const p = pool({ size: 1 });
    await p.query('SELECT 1 AS x'); // thread started and connection open
    // Wall-clock loop delay on a shared machine also counts other processes' time slices, so what is
    // checked is that timers keep firing and that this thread spends little CPU during the read.
    // (A 5 ms timer: at 1 ms its own callbacks cost the main thread ~100 ms of CPU on a loaded machine.)
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const cpuBefore = mainThreadCpuMs();
    const started = Date.now();
    const [{ n }] = await p.query<{ n: number }>(SLOW_READ);
    const took = Date.now() - started;
    const cpu = cpuBefore === undefined ? undefined : mainThreadCpuMs()! - cpuBefore;
    clearInterval(ticker);
    expect(n).toBe(3_000_000);
    expect(took).toBeGreaterThan(100); // the read was long enough to matter
    expect(ticks).toBeGreaterThanOrEqual(5);
    if (cpu !== undefined) expect(cpu).toBeLessThan(Math.min(50, took / 2));
  });

  it('refuses writes: the connections are read-only', async () => {
    const p = pool({ size: 1 });
    await expect(p.query("DELETE FROM cost_line_item WHERE billing_account_id = 'acc-r'")).rejects.toThrow(/reads only/);
    await expect(p.query("SELECT 1 AS x FROM cost_line_item WHERE 0; DELETE FROM cost_line_item")).rejects.toThrow(QueryFailedError);
    const [{ n }] = await store.dataSource.query("SELECT count(*) AS n FROM cost_line_item WHERE billing_account_id = 'acc-r'");
    expect(Number(n)).toBe(2);
  });

  it('rejects with SQLite\'s own message as a QueryFailedError, and goes on reading', async () => {
    const p = pool({ size: 1 });
    const failed = p.query('SELECT * FROM no_such_table');
    await expect(failed).rejects.toThrow(QueryFailedError);
    await expect(failed).rejects.toThrow('no such table: no_such_table');
    expect(await p.query('SELECT 2 AS x')).toEqual([{ x: 2 }]);
  });

  it('refuses reads beyond its queue at once', async () => {
    const p = pool({ size: 1, maxQueued: 1 });
    const running = p.query(SLOW_READ);
    const queued = p.query('SELECT 1 AS x');
    await expect(p.query('SELECT 2 AS x')).rejects.toThrow(/maxQueued 1/);
    await expect(running).resolves.toEqual([{ n: 3_000_000 }]);
    await expect(queued).resolves.toEqual([{ x: 1 }]);
  });

  it('replaces a thread that dies: its read fails, the next one runs', async () => {
    const p = pool({ size: 1 });
    await p.query('SELECT 1 AS x');
    const running = p.query(SLOW_READ);
    // The one place this spec reaches inside: nothing else can kill a thread from outside.
    await (p as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }).threads[0].worker.terminate();
    await expect(running).rejects.toThrow(/read thread died/);
    expect(await p.query('SELECT 3 AS x')).toEqual([{ x: 3 }]);
    expect(p.threadCount).toBe(1);
  });

  it('fails reads, without looping, when the file cannot be opened', async () => {
    const missing = SqliteReadPool.open(`${file}.missing`, { size: 2 });
    pools.push(missing);
    await expect(missing.query('SELECT 1 AS x')).rejects.toThrow(/keep dying|read thread died/);
    // The replacements die too; after a few the pool stops starting threads until the next read.
    const deadline = Date.now() + 5000;
    while (missing.threadCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(missing.threadCount).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(missing.threadCount).toBe(0);
  });

  it('returns large results whole and in order (sent in chunks)', async () => {
    const p = pool();
    const rows = await p.query<{ x: number }>('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2501) SELECT x FROM c');
    expect(rows.length).toBe(2501);
    expect(rows.every((r, i) => r.x === i + 1)).toBe(true);
    expect(await p.query('SELECT 1 AS x WHERE 0')).toEqual([]);
  });

  it('returns every value as the driver gives it, whether its column is sent by distinct values or whole', async () => {
    const p = pool({ size: 1 });
    // 9,001 rows over several chunks: few distinct values (sent once, with an index per row), a
    // value per row, nulls, mixed types, a blob, and a column that turns plain in a later chunk.
    const sql =
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 9001) ' +
      "SELECT x, 'rg-' || (x % 7) AS few, 'amount-' || x AS every, CASE WHEN x % 3 = 0 THEN NULL ELSE 'v' END AS sparse, " +
      "CASE x % 4 WHEN 0 THEN 1 WHEN 1 THEN '1' WHEN 2 THEN 1.5 ELSE NULL END AS mixed, CASE WHEN x = 5 THEN x'00ff' ELSE NULL END AS blob, " +
      "CASE WHEN x > 8000 THEN 'late-' || x ELSE 'early' END AS turns FROM c";
    const direct = (await store.dataSource.query(sql)) as Record<string, unknown>[];
    const rows = await p.query<Record<string, unknown>>(sql);
    expect(rows).toHaveLength(9001);
    expect(rows.map((r) => ({ ...r, blob: r.blob === null ? null : Buffer.from(r.blob as Uint8Array).toString('hex') }))).toEqual(
      direct.map((r) => ({ ...r, blob: r.blob === null ? null : Buffer.from(r.blob as Uint8Array).toString('hex') })),
    );
    expect(Object.keys(rows[0])).toEqual(['x', 'few', 'every', 'sparse', 'mixed', 'blob', 'turns']);
  });

  it('returns the same rows as arrays in the columns\' order (queryArrays), over several chunks', async () => {
    const p = pool({ size: 1 });
    const sql =
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 9001) ' +
      "SELECT 'rg-' || (x % 7) AS few, x, CASE WHEN x % 3 = 0 THEN NULL ELSE 'v' || x END AS sparse FROM c";
    const objects = await p.query<Record<string, unknown>>(sql);
    const table = await p.queryArrays(sql);
    expect(table.columns).toEqual(['few', 'x', 'sparse']);
    expect(table.rows).toEqual(objects.map((o) => [o.few, o.x, o.sparse]));
    // No row: the columns still come back.
    expect(await p.queryArrays('SELECT 1 AS a, 2 AS b WHERE 0')).toEqual({ columns: ['a', 'b'], rows: [] });
    // Limb sums recombined in the thread: 'amount' in place of l0–l2, as for objects.
    const limbs = await p.queryArrays("SELECT 'k' AS d0, '1' AS l0, '2' AS l1, '3' AS l2", [], { limbAmounts: true });
    expect(limbs).toEqual({ columns: ['d0', 'amount'], rows: [['k', fromLimbSums('1', '2', '3')]] });
  });

  it('sums exact-sum columns in the thread to exactly what exact-sum.ts gives', async () => {
    const p = pool({ size: 1 });
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const lists: string[][] = [
      ['0.1', '0.2'],
      ['12.5', '-12.5'],
      ['1.0e-05', '2.5E-7', '3'],
      ['-0.000000000000000001', '98765432109.87654321'],
      ['5.', '0'],
      Array.from({ length: 5000 }, () => (rnd() * 1000 - 300).toFixed(Math.floor(rnd() * 12))),
      Array.from({ length: 3 }, () => '9'.repeat(40) + '.' + '9'.repeat(25)), // beyond 60 digits: left as a list
    ];
    for (const list of lists) {
      const [row] = await p.query<{ parts: string }>('SELECT ? AS parts', [list.join(',')], { exactSumColumns: ['parts'] });
      expect(exactSum(row.parts.split(','))).toBe(exactSum(list));
    }
    const [beyond] = await p.query<{ parts: string }>('SELECT ? AS parts', [lists[6].join(',')], { exactSumColumns: ['parts'] });
    expect(beyond.parts).toBe(lists[6].join(','));
    const [nulls] = await p.query<{ parts: string | null }>('SELECT NULL AS parts', [], { exactSumColumns: ['parts'] });
    expect(nulls.parts).toBeNull();
  });

  it('recombines limb sums in the thread to exactly what finops fromLimbSums gives', async () => {
    const p = pool({ size: 1 });
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const limb = () => String(Math.floor((rnd() - 0.3) * 1e15)) + String(Math.floor(rnd() * 1e3));
    const cases: (string | number | null)[][] = [
      ['0', '0', '0'],
      [null, null, null],
      ['1', '0', '0'],
      ['-1', '999999999', '999999999'],
      ['0', '0', '1'],
      [123, 456, 789],
      ['9223372036854775807', '999999999', '999999999'],
      ...Array.from({ length: 300 }, () => [limb(), String(Math.floor(rnd() * 1e12)), String(Math.floor(rnd() * 1e12))]),
      // Short sums of any sign, with carries and borrows.
      ['0', '2500000000', '-1'],
      ['-1', '0', '1'],
      ['-1', '1', '0'],
      ['5', '-5000000000', '0'],
      [-7_000_000, -3, -999_999_999_999],
      ...Array.from({ length: 150 }, () => [0, 0, 0].map(() => String(Math.floor((rnd() - 0.3) * 10 ** (1 + Math.floor(rnd() * 15)))))),
    ];
    const sql = cases.map(() => 'SELECT ? AS d0, ? AS l0, ? AS l1, ? AS l2, 1 AS n').join(' UNION ALL ');
    const rows = await p.query<Record<string, unknown>>(sql, cases.flatMap((c, i) => [String(i), ...c]), { limbAmounts: true });
    expect(rows).toHaveLength(cases.length);
    for (const row of rows) {
      const [l0, l1, l2] = cases[Number(row.d0)];
      expect(row).toEqual({ d0: row.d0, amount: fromLimbSums(l0, l1, l2), n: 1 });
    }
    await expect(p.query('SELECT 1.5 AS l0, 0 AS l1, 0 AS l2', [], { limbAmounts: true })).rejects.toThrow(/not an integer limb sum/);
  });

  it('on close refuses what waits, finishes what runs, and reads no more', async () => {
    const p = SqliteReadPool.open(file, { size: 1 });
    const running = p.query(SLOW_READ);
    const waiting = p.query('SELECT 1 AS x');
    await new Promise((r) => setTimeout(r, 20));
    const closed = p.close();
    await expect(waiting).rejects.toThrow(/closed/);
    await expect(running).resolves.toEqual([{ n: 3_000_000 }]);
    await closed;
    await expect(p.query('SELECT 1 AS x')).rejects.toThrow(/closed/);
  });
});
