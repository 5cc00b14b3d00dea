import { DataSource } from 'typeorm';
import { createTestStore, TestStore } from '../testing';
import { changeInSlices } from './sliced-change';
import { dialectOf } from './sql-dialect';
import { AdaptiveBatch, LoopSlicer } from './yield';

describe('AdaptiveBatch', () => {
  it.each([
    { what: 'a batch twice over budget halves', rows: 200, ms: 16, next: 100 },
    { what: 'a fast batch at most doubles', rows: 200, ms: 1, next: 400 },
    { what: 'an unmeasurably fast batch doubles', rows: 200, ms: 0, next: 400 },
    { what: 'a batch exactly on budget stays', rows: 200, ms: 8, next: 200 },
    { what: 'a very slow batch stops at the minimum', rows: 200, ms: 10_000, next: 20 },
    { what: 'an empty batch changes nothing', rows: 0, ms: 5, next: 200 },
  ])('$what', ({ rows, ms, next }) => {
    const batch = new AdaptiveBatch(8, 200, 20, 20_000);
    batch.record(rows, ms);
    expect(batch.size).toBe(next);
  });

  it('never grows past its maximum', () => {
    const batch = new AdaptiveBatch(8, 200, 20, 500);
    for (let i = 0; i < 10; i++) batch.record(batch.size, 0.1);
    expect(batch.size).toBe(500);
  });
});

/** Counts the slices a change was cut into. */
class CountingSlicer extends LoopSlicer {
  yields = 0;
  override async next(): Promise<void> {
    this.yields++;
    await super.next();
  }
}

describe.each(['sqlite', 'postgres'] as const)('changeInSlices on %s', (kind) => {
  let test: TestStore;
  let ds: DataSource;

  beforeAll(async () => {
    test = await createTestStore(kind);
    const c = test.config;
    ds = new DataSource(c.type === 'sqlite' ? { type: 'better-sqlite3', database: c.database } : { type: 'postgres', url: c.url, schema: c.schema });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await test?.drop();
  });

  beforeEach(async () => {
    await ds.query('DROP TABLE IF EXISTS sliced');
    await ds.query('CREATE TABLE sliced (id integer PRIMARY KEY, k text NOT NULL, v text NOT NULL)');
    await ds.query('CREATE INDEX ix_sliced_k_v ON sliced (k, v)');
    const p = dialectOf(ds).param;
    for (let i = 0; i < 4000; i += 500) {
      const rows = Array.from({ length: 500 }, (_, j) => i + j);
      await ds.query(`INSERT INTO sliced (id, k, v) VALUES ${rows.map((_, j) => `(${p(3 * j + 1)}, ${p(3 * j + 2)}, ${p(3 * j + 3)})`).join(', ')}`, rows.flatMap((id) => [id, id < 3000 ? 'a' : 'b', 'todo']));
    }
  });

  const counts = async () => (await ds.query('SELECT k, v, count(*) AS n FROM sliced GROUP BY k, v ORDER BY k, v')).map((r: { k: string; v: string; n: string | number }) => `${r.k}/${r.v}=${Number(r.n)}`);

  it('deletes every matching row and no other, in many statements on SQLite (a slice each), in one on PostgreSQL', async () => {
    // A zero budget: every batch is over it, so batches shrink to the minimum and the loop is let go before each.
    const slicer = new CountingSlicer(0);
    const p = dialectOf(ds).param;
    const deleted = await ds.transaction((em) => changeInSlices(em, dialectOf(ds), { table: 'sliced', where: `k = ${p(1)}`, params: ['a'] }, slicer));
    expect(deleted).toBe(3000);
    expect(await counts()).toEqual(['b/todo=1000']);
    if (kind === 'sqlite') expect(slicer.yields).toBeGreaterThan(10);
    else expect(slicer.yields).toBe(0);
  });

  it('updates rows out of the condition until none is left, and rolls back with its transaction', async () => {
    const p = dialectOf(ds).param;
    const change = { table: 'sliced', set: "v = 'done'", where: `k = ${p(1)} AND v = 'todo'`, params: ['b'] };
    const updated = await ds.transaction((em) => changeInSlices(em, dialectOf(ds), change, new CountingSlicer(0)));
    expect(updated).toBe(1000);
    expect(await counts()).toEqual(['a/todo=3000', 'b/done=1000']);

    await expect(
      ds.transaction(async (em) => {
        await changeInSlices(em, dialectOf(ds), { table: 'sliced', where: `k = ${p(1)}`, params: ['a'] }, new CountingSlicer(0));
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    expect(await counts()).toEqual(['a/todo=3000', 'b/done=1000']);
  });

  it('refuses to run outside a transaction', async () => {
    await expect(changeInSlices(ds.manager, dialectOf(ds), { table: 'sliced', where: '1 = 1', params: [] })).rejects.toThrow('inside a transaction');
  });
});
