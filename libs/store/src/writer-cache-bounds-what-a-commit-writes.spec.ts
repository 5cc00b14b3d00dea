/**
 * Decision 0031: the api opens its SQLite store with a small writer cache, so that a transaction's
 * dirty pages reach the WAL while its statements run and its COMMIT writes at most about the cache
 * (one synchronous block on the event loop). Measured by the WAL's growth before and at COMMIT.
 */
import * as fs from 'node:fs';
import { SERVING_WRITER_CACHE_KIB } from './data-source';
import { SecretBox } from './secret-box';
import { Store } from './store';
import { createTestStore, type TestStore } from './testing';

/** ~8 MB of new pages in one transaction: half better-sqlite3's default cache, twenty times the api's. */
const ROWS = 8000;

async function walGrowth(writerCacheKib: number | undefined): Promise<{ beforeCommit: number; atCommit: number }> {
  const test: TestStore = await createTestStore('sqlite');
  const store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 3)), { writerCacheKib });
  try {
    const wal = `${(test.config as { database: string }).database}-wal`;
    await store.dataSource.query('CREATE TABLE scratch (v BLOB NOT NULL)');
    const runner = store.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      const start = fs.statSync(wal).size;
      await runner.query(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS}) INSERT INTO scratch SELECT randomblob(1000) FROM n`,
      );
      const beforeCommit = fs.statSync(wal).size - start;
      await runner.commitTransaction();
      return { beforeCommit, atCommit: fs.statSync(wal).size - start - beforeCommit };
    } finally {
      await runner.release();
    }
  } finally {
    await store.close();
    await test.drop();
  }
}

describe('the writer connection’s page cache', () => {
  it.each([
    // [writer cache, most the COMMIT may write, least it writes]
    ['the api’s', SERVING_WRITER_CACHE_KIB, SERVING_WRITER_CACHE_KIB * 1024 * 1.5, 0],
    // better-sqlite3's default keeps the whole transaction for the COMMIT.
    ['better-sqlite3’s default (16 MB)', undefined, Infinity, ROWS * 1000],
  ])('%s cache: the COMMIT writes only what the cache still holds', async (_name, kib, most, least) => {
    const { beforeCommit, atCommit } = await walGrowth(kib);
    // Every page reached the WAL.
    expect(beforeCommit + atCommit).toBeGreaterThan(ROWS * 1000);
    expect(atCommit).toBeLessThanOrEqual(most);
    expect(atCommit).toBeGreaterThanOrEqual(least);
  });
});
