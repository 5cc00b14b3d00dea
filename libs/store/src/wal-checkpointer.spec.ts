/**
 * The WAL of an SQLite store is checkpointed by the store's checkpoint thread, long before the
 * automatic checkpoint (64 MB) would, and closing the store stops the thread.
 */
import * as fs from 'node:fs';
import { SecretBox } from './secret-box';
import { Store } from './store';
import { createTestStore, sampleCostRow, type TestStore } from './testing';

describe('WalCheckpointer', () => {
  let test: TestStore;
  beforeAll(async () => {
    test = await createTestStore('sqlite');
  });
  afterAll(() => test.drop());

  it('copies committed pages into the database file while the store is open, then stops with it', async () => {
    const file = (test.config as { database: string }).database;
    const store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 7)));
    const before = fs.statSync(file).size;
    // ~10 MB of WAL: far below the automatic checkpoint, so only the thread moves it into the file.
    for (let page = 0; page < 5; page++) await store.costs.upsert(Array.from({ length: 2000 }, () => sampleCostRow({ tags: 'x'.repeat(500) })));
    const walAfterWrites = fs.statSync(`${file}-wal`).size;
    expect(walAfterWrites).toBeGreaterThan(5_000_000);
    const deadline = Date.now() + 10_000;
    while (fs.statSync(file).size < before + 5_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(fs.statSync(file).size).toBeGreaterThan(before + 5_000_000);
    const [{ n }] = await store.dataSource.query('SELECT count(*) AS n FROM cost_line_item');
    expect(Number(n)).toBe(10_000);
    await store.close(); // resolves only once the thread has closed its connection
  });
});
