#!/usr/bin/env node
// bench:backup — how long a backup and a restore of a big store take.
//
//   npm run build && npm run bench:backup -- --rows 1000000 [--db sqlite|postgres|both] [--dir /tmp/backup-bench]
//
// Writes N rows of bench/query's dataset (a year of CSP usage) through the store's bulk upsert, then:
// SQLite: `meridian backup --out` and `meridian restore --from --key-file` (the CLI, each in its own
// process, as an operator runs them); PostgreSQL: pg_dump --format=custom and pg_restore into a new
// database (README, "Backup and restore"). Each restored store must serve the same totals per
// account × month × currency as the original. Prints one line per database:
//   backup db=sqlite rows=N store_mb=… backup_mb=… backup_s=… restore_s=… totals_equal=true
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    db: { type: 'string', default: 'sqlite' },
    dir: { type: 'string' },
    seed: { type: 'string', default: '7' },
    'database-url': { type: 'string', default: process.env.DATABASE_TEST_URL || 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const ROWS = Number(values.rows);
const CLI = path.join(root, 'apps/worker/dist/cli/meridian.js');
for (const f of ['libs/store/dist/index.js', CLI])
  if (!existsSync(path.resolve(root, f))) throw new Error(`${f} missing: run npm run build first`);
const { Store, SecretBox, storedTotals } = require('@meridian/store');
const dataset = require('../query/dataset.cjs');
const log = (m) => console.error(m);
const seconds = (ms) => (ms / 1000).toFixed(1);
const mb = (bytes) => (bytes / 1e6).toFixed(0);

async function load(config, key) {
  const store = await Store.open(config, SecretBox.fromKey(key));
  try {
    const catalog = dataset.buildCatalog(Number(values.seed), ROWS);
    for (const a of catalog.accounts) {
      await store.accounts.upsertConnection(
        {
          id: a.id,
          name: `CSP ${a.id}`,
          cloud: a.cloud,
          tenantId: `t-${a.id}`,
          appId: 'a',
          secret: `s-${a.id}`,
          apiBaseUrl: 'http://127.0.0.1:9',
          tokenUrl: 'http://127.0.0.1:9/t',
          tokenResource: 'r',
          currency: a.currency,
          sandbox: false,
          enabled: false,
        },
        { userId: null, via: 'bench' },
      );
    }
    const { customers, subscriptions } = dataset.catalogRows(catalog);
    await store.catalog.upsertCustomers(customers);
    await store.catalog.upsertSubscriptions(subscriptions);
    const t0 = Date.now();
    let written = 0;
    for (const page of dataset.pages(catalog, 2000)) {
      await store.costs.upsert(page);
      written += page.length;
      if (written % 250_000 < page.length) log(`  ${written.toLocaleString('en-US')} rows written`);
    }
    log(`data: ${written.toLocaleString('en-US')} rows in ${seconds(Date.now() - t0)} s`);
    return { rows: written, totals: await storedTotals(store) };
  } finally {
    await store.close();
  }
}

function run(cmd, args, env = process.env) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}${r.stdout}`);
  log(`  ${path.basename(cmd)} ${args.slice(0, 2).join(' ')}: ${r.stdout.trim().split('\n')[0]}`);
  return Date.now() - t0;
}

async function sameTotals(config, key, expected) {
  const store = await Store.open(config, SecretBox.fromKey(key));
  try {
    return JSON.stringify(await storedTotals(store)) === JSON.stringify(expected);
  } finally {
    await store.close();
  }
}

async function sqlite(dir) {
  const source = path.join(dir, 'source');
  const target = path.join(dir, 'restored');
  mkdirSync(source, { recursive: true });
  const key = randomBytes(32);
  const keyFile = path.join(dir, 'secret.key');
  writeFileSync(keyFile, key.toString('base64'), { mode: 0o600 });
  const config = { type: 'sqlite', database: path.join(source, 'meridian.sqlite') };
  const { rows, totals } = await load(config, key);
  const env = { ...process.env, MERIDIAN_SECRET_KEY: '' };
  delete env.DATABASE_URL;
  const file = path.join(dir, 'meridian.backup.sqlite');
  const backupMs = run(process.execPath, [CLI, 'backup', '--out', file], { ...env, MERIDIAN_DATA_DIR: source });
  const restoreMs = run(process.execPath, [CLI, 'restore', '--from', file, '--key-file', keyFile], { ...env, MERIDIAN_DATA_DIR: target });
  const equal = await sameTotals({ type: 'sqlite', database: path.join(target, 'meridian.sqlite') }, key, totals);
  console.log(
    `backup db=sqlite rows=${rows} store_mb=${mb(statSync(config.database).size)} backup_mb=${mb(statSync(file).size)} backup_s=${seconds(backupMs)} restore_s=${seconds(restoreMs)} totals_equal=${equal}`,
  );
}

async function postgres(dir) {
  const url = values['database-url'];
  const schema = `bench_backup_${randomBytes(4).toString('hex')}`;
  const database = `bench_restore_${randomBytes(4).toString('hex')}`;
  const target = url.replace(/\/[^/]*$/, `/${database}`);
  // Separate -c commands: CREATE/DROP DATABASE may not run inside the transaction of a multi-statement -c.
  const psql = (u, sql) => spawnSync('psql', [u, '-qAt', '-c', 'SET client_min_messages = warning', '-c', sql], { encoding: 'utf8' });
  const key = randomBytes(32);
  try {
    const config = { type: 'postgres', url, schema };
    const { rows, totals } = await load(config, key);
    const size = Number(
      psql(
        url,
        `SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${schema}' AND c.relkind = 'r'`,
      ).stdout.trim(),
    );
    const file = path.join(dir, 'meridian.dump');
    const backupMs = run('pg_dump', ['--format=custom', '--no-owner', `--schema=${schema}`, `--file=${file}`, url]);
    psql(url, `CREATE DATABASE ${database}`);
    const restoreMs = run('pg_restore', ['--no-owner', '--exit-on-error', '--jobs=2', `--dbname=${target}`, file]);
    const equal = await sameTotals({ type: 'postgres', url: target, schema }, key, totals);
    console.log(
      `backup db=postgres rows=${rows} store_mb=${mb(size)} backup_mb=${mb(statSync(file).size)} backup_s=${seconds(backupMs)} restore_s=${seconds(restoreMs)} totals_equal=${equal}`,
    );
  } finally {
    psql(url, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    psql(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

const dir = values.dir ? path.resolve(values.dir) : mkdtempSync(path.join(os.tmpdir(), 'meridian-backup-bench-'));
mkdirSync(dir, { recursive: true });
try {
  if (values.db === 'sqlite' || values.db === 'both') await sqlite(path.join(dir, 'sqlite'));
  if (values.db === 'postgres' || values.db === 'both') await postgres(dir);
} finally {
  if (!values.dir) rmSync(dir, { recursive: true, force: true });
}
