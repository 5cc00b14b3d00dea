import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { startSimulator } from '@meridian/pc-sim';
import {
  createTestStore,
  dataDirFromEnv,
  SecretBox,
  Store,
  storeConfigFromEnv,
  storedTotals,
  TEST_DATABASE_URL,
  TestStore,
} from '@meridian/store';
import { AccountSync, connectSimulatorAccounts, PartnerCenterClients } from '@meridian/sync';
import { SIM_NOW } from '../testing/ground-truth';
import { buildCli } from './meridian';

/** The built CLI (nx builds the worker before its tests): the concurrent backup runs in its own process. */
const CLI_MAIN = path.join(__dirname, '..', '..', 'dist', 'cli', 'meridian.js');
const quiet = { log: () => undefined, error: () => undefined };

async function runCli(...args: string[]): Promise<{ code: number; out: string; error: string }> {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  process.exitCode = 0;
  let error = '';
  try {
    await buildCli()
      .exitOverride()
      .configureOutput({ writeErr: () => undefined })
      .parseAsync(['node', 'meridian', ...args]);
  } catch (err) {
    error = (err as Error).message;
  } finally {
    log.mockRestore();
  }
  const code = error ? 1 : Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out: out.join('\n'), error };
}

/** Opens the SQLite store of a data directory with that directory's key. */
async function openDir(dir: string): Promise<Store> {
  const env = { MERIDIAN_DATA_DIR: dir };
  return Store.open(storeConfigFromEnv(env), SecretBox.fromEnv(dataDirFromEnv(env), env));
}

/**
 * Issue 17 (4): `meridian backup` copies a live SQLite store (one snapshot even while a sync
 * writes), `meridian restore` brings it into an empty data directory only with the key that opens
 * its secrets, and the restored store serves the same totals.
 */
describe('backup and restore (SQLite)', () => {
  const savedEnv = { ...process.env };
  const dirs: string[] = [];
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let source: string;
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-backup-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    if (!fs.existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: build the worker first (nx runs it before this test)`);
    sim = await startSimulator({ port: 0, seed: 42, now: SIM_NOW });
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'MERIDIAN_SECRET_KEY']) delete process.env[k];
    source = tmp();
  });

  afterAll(async () => {
    process.env = savedEnv;
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    await sim?.close();
  });

  it('takes a consistent snapshot while a sync writes, and restores the same totals with the key kept apart', async () => {
    const store = await openDir(source);
    try {
      const accounts = await connectSimulatorAccounts(store, sim.url);
      const sync = new AccountSync(store, new PartnerCenterClients(), quiet, { usagePageSize: 100, now: () => SIM_NOW });
      await sync.runStream('germany', 'unbilled-usage');
      // A v1 account in pages of 100: many commits, each raw rows + their aggregate deltas.
      const midSync = path.join(tmp(), 'mid-sync.sqlite');
      let backup: Promise<{ code: number | null; stderr: string }> | undefined;
      const result = await sync.runStream('usgov', 'unbilled-usage', {
        onProgress: (p) => {
          if (backup || p.pages < 2) return;
          const child = spawn(process.execPath, [CLI_MAIN, 'backup', '--out', midSync], {
            env: { ...process.env, MERIDIAN_DATA_DIR: source },
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += d));
          backup = new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
        },
      });
      expect(result.status).toBe('succeeded');
      expect(await backup).toEqual({ code: 0, stderr: '' });

      // The mid-sync copy: every page in it is whole, raw rows and aggregates agree to the cent.
      const midDir = tmp();
      fs.copyFileSync(SecretBox.keyFile(source), SecretBox.keyFile(midDir));
      process.env.MERIDIAN_DATA_DIR = midDir;
      expect((await runCli('restore', '--from', midSync)).code).toBe(0);
      const mid = await openDir(midDir);
      try {
        const totals = await storedTotals(mid);
        expect(Object.keys(totals).some((k) => k.startsWith('usgov|'))).toBe(true);
        expect(totals).toEqual(await storedTotals(mid, { readFrom: 'raw' }));
      } finally {
        await mid.close();
      }

      // A backup of the finished store, restored elsewhere with its key file.
      process.env.MERIDIAN_DATA_DIR = source;
      const file = path.join(tmp(), 'meridian.backup.sqlite');
      const taken = await runCli('backup', '--out', file);
      expect(taken.code).toBe(0);
      expect(taken.out).toMatch(/^backup .*: [\d.]+ MB, [\d,]+ pages in [\d.]+ s$/m);
      expect(taken.out).toMatch(/not in the backup: the key .*secret\.key/);
      expect((await runCli('backup', '--out', file)).error).toMatch(/exists/);

      const keyApart = path.join(tmp(), 'secret.key');
      fs.copyFileSync(SecretBox.keyFile(source), keyApart);
      const target = tmp();
      process.env.MERIDIAN_DATA_DIR = target;
      // Without the key the sealed secrets would be lost: refused before anything is written.
      expect((await runCli('restore', '--from', file)).error).toMatch(/sealed secret\(s\): give their key/);
      expect(fs.readdirSync(target)).toEqual([]);
      const wrongKey = path.join(tmp(), 'wrong.key');
      fs.writeFileSync(wrongKey, SecretBox.generateKey());
      expect((await runCli('restore', '--from', file, '--key-file', wrongKey)).error).toMatch(/does not open/);
      expect(fs.readdirSync(target)).toEqual([]);

      const restored = await runCli('restore', '--from', file, '--key-file', keyApart);
      expect(restored.code).toBe(0);
      expect(restored.out).toMatch(new RegExp(`restored .* ${accounts.length} account\\(s\\), [\\d,]+ line items`));
      // Into a data directory that already has a store: refused.
      expect((await runCli('restore', '--from', file, '--key-file', keyApart)).error).toMatch(/empty data directory/);

      const copy = await openDir(target);
      try {
        const expected = await storedTotals(store);
        expect(Object.keys(expected).length).toBeGreaterThan(2);
        expect(await storedTotals(copy)).toEqual(expected);
        expect(await storedTotals(copy, { readFrom: 'raw' })).toEqual(expected);
        // The restored secrets open with the key file that was kept apart.
        expect((await copy.accounts.credentials('usgov')).secret).toBe(accounts.find((a) => a.id === 'usgov')!.secret);
      } finally {
        await copy.close();
      }
    } finally {
      await store.close();
    }
  }, 240_000);
});

/**
 * Issue 17 (4), PostgreSQL: the documented pg_dump / pg_restore (README) into another database
 * serves the same totals with the same key.
 */
describe('backup and restore (PostgreSQL, pg_dump / pg_restore)', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let test: TestStore;
  const restoredDb = `meridian_restore_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: SIM_NOW });
    test = await createTestStore('postgres');
  });

  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS ${restoredDb} WITH (FORCE)`).catch(() => undefined);
    await test?.drop();
    await sim?.close();
  });

  it('restores a pg_dump into a new database with the same totals', async () => {
    if (test.config.type !== 'postgres') throw new Error('expected a PostgreSQL test store');
    const key = SecretBox.fromKey(Buffer.from(SecretBox.generateKey(), 'base64'));
    const store = await Store.open(test.config, key);
    let expected: Record<string, string>;
    const dump = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-pgdump-')), 'meridian.dump');
    try {
      await connectSimulatorAccounts(store, sim.url);
      const sync = new AccountSync(store, new PartnerCenterClients(), quiet, { now: () => SIM_NOW });
      for (const id of ['germany', 'china']) expect((await sync.runStream(id, 'unbilled-usage')).status).toBe('succeeded');
      expected = await storedTotals(store);
      // As documented: custom format, the store's schema only, no owners (the target may differ).
      const dumped = spawnSync(
        'pg_dump',
        ['--format=custom', '--no-owner', `--schema=${test.config.schema}`, `--file=${dump}`, TEST_DATABASE_URL],
        { encoding: 'utf8' },
      );
      expect(dumped.stderr).toBe('');
      expect(dumped.status).toBe(0);
    } finally {
      await store.close();
    }
    await admin(`CREATE DATABASE ${restoredDb}`);
    const target = TEST_DATABASE_URL.replace(/\/[^/]*$/, `/${restoredDb}`);
    const restored = spawnSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${target}`, dump], { encoding: 'utf8' });
    fs.rmSync(path.dirname(dump), { recursive: true, force: true });
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);

    const copy = await Store.open({ type: 'postgres', url: target, schema: test.config.schema }, key);
    try {
      expect(Object.keys(expected).length).toBeGreaterThan(1);
      expect(await storedTotals(copy)).toEqual(expected);
      expect(await storedTotals(copy, { readFrom: 'raw' })).toEqual(expected);
      expect((await copy.accounts.credentials('china')).secret).toBeTruthy();
    } finally {
      await copy.close();
    }
  }, 240_000);
});
