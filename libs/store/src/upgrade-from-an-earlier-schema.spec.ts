import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { MIGRATIONS } from './data-source';
import { parseKey, SecretBox } from './secret-box';
import { Store } from './store';
import { createTestStore, storedTotals, TEST_DATABASE_URL, TestStore } from './testing';

/**
 * Issue 17 (5): stores created and filled by an earlier version (fixtures/upgrade: the commit, its
 * migrations and the totals it recorded, summed from its raw line items; make-fixture.mjs wrote them)
 * migrate to the current schema with every total per account × month × currency unchanged, read
 * from the aggregates as the dashboard reads them and from the raw rows. Every new migration must
 * keep this green.
 */
const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'upgrade');
const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'fixture.json'), 'utf8')) as {
  commit: string;
  migrations: string[];
  schema: string;
  lineItems: number;
  totals: { sqlite: Record<string, string>; postgres: Record<string, string> };
};
const key = () => SecretBox.fromKey(parseKey(fs.readFileSync(path.join(FIXTURE_DIR, 'secret.key'), 'utf8')));

async function expectUpgraded(store: Store, totals: Record<string, string>): Promise<void> {
  const applied: { name: string }[] = await store.dataSource.query('SELECT name FROM migrations ORDER BY timestamp');
  expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
  expect(applied.length).toBeGreaterThan(fixture.migrations.length);
  const [{ n }] = await store.dataSource.query('SELECT count(*) AS n FROM cost_line_item');
  expect(Number(n)).toBe(fixture.lineItems);
  expect(Object.keys(totals).length).toBeGreaterThan(3);
  expect(await storedTotals(store)).toEqual(totals);
  expect(await storedTotals(store, { readFrom: 'raw' })).toEqual(totals);
  // The old sealed secrets still open.
  expect((await store.accounts.credentials('germany')).secret).toBeTruthy();
}

describe(`upgrade from the schema of ${fixture.migrations.at(-1)} (SQLite)`, () => {
  let dir: string;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrates an older SQLite store with every total unchanged', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-upgrade-'));
    const file = path.join(dir, 'meridian.sqlite');
    fs.writeFileSync(file, zlib.gunzipSync(fs.readFileSync(path.join(FIXTURE_DIR, 'meridian.sqlite.gz'))));
    const store = await Store.open({ type: 'sqlite', database: file }, key());
    try {
      await expectUpgraded(store, fixture.totals.sqlite);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe(`upgrade from the schema of ${fixture.migrations.at(-1)} (PostgreSQL)`, () => {
  let test: TestStore;
  afterAll(() => test?.drop());

  it('migrates an older PostgreSQL dump with every total unchanged', async () => {
    test = await createTestStore('postgres');
    if (test.config.type !== 'postgres' || !test.config.schema) throw new Error('expected a PostgreSQL schema');
    // The plain-SQL dump names its schema: loaded under this test's own schema instead.
    const dump = zlib
      .gunzipSync(fs.readFileSync(path.join(FIXTURE_DIR, 'meridian.pg.sql.gz')))
      .toString('utf8')
      .split(fixture.schema)
      .join(test.config.schema);
    execFileSync('psql', [TEST_DATABASE_URL, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `DROP SCHEMA ${test.config.schema}`, '-f', '-'], {
      input: dump,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const store = await Store.open(test.config, key());
    try {
      await expectUpgraded(store, fixture.totals.postgres);
    } finally {
      await store.close();
    }
  }, 60_000);
});
