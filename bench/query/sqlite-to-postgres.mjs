#!/usr/bin/env node
// Copies a kept SQLite query-benchmark dataset (bench:query --data DIR) into a new PostgreSQL schema
// and writes a PostgreSQL dataset directory that bench:query measures with --db postgres --data DIR.
//   node bench/query/sqlite-to-postgres.mjs --from SQLITE_DIR --to PG_DIR
//
// Why: writing 10M rows through the store's upserts takes ~15–20 min per million on PostgreSQL on
// this machine (docs/performance.md), too long for a session. The SQLite dataset was written by the
// same upserts, and its aggregates by the same deltas; every value is portable (limbs are integers,
// agg_key a hash of the grain's text, decimals and days are text), so a copy of every table is the
// store the PostgreSQL upserts would have written. The schema comes from the store's own migrations.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, batch: { type: 'string', default: '5000' } } });
if (!values.from || !values.to) throw new Error('usage: sqlite-to-postgres.mjs --from SQLITE_DIR --to PG_DIR');
const from = path.resolve(values.from);
const to = path.resolve(values.to);
const BATCH = Number(values.batch);
const source = JSON.parse(readFileSync(path.join(from, 'dataset.json'), 'utf8'));
if ((source.db ?? 'sqlite') !== 'sqlite') throw new Error(`${from} holds a ${source.db} dataset, not SQLite`);
if (existsSync(path.join(to, 'dataset.json'))) throw new Error(`${to} already holds a dataset`);

const Database = require('better-sqlite3');
const pg = require('pg');
const { Store, SecretBox } = require('@meridian/store');

const pgUrl = process.env.DATABASE_TEST_URL || 'postgres://postgres@127.0.0.1:5432/test';
const pgSchema = `qbench_${randomBytes(4).toString('hex')}`;
const log = (line) => console.error(line);

// The schema as the store makes it (migrations), then emptied: the copy brings every row.
const store = await Store.open({ type: 'postgres', url: pgUrl, schema: pgSchema }, SecretBox.fromKey(Buffer.from(source.secretKey, 'base64')));
await store.close();

const sqlite = new Database(path.join(from, 'meridian.sqlite'), { readonly: true });
const client = new pg.Client({ connectionString: pgUrl });
await client.connect();
try {
  await client.query(`SET search_path TO ${pgSchema}`);
  const columns = (await client.query(
    'SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position',
    [pgSchema],
  )).rows;
  const tables = new Map();
  for (const c of columns) {
    if (!tables.has(c.table_name)) tables.set(c.table_name, []);
    tables.get(c.table_name).push(c);
  }
  const inSqlite = new Set(sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name));
  // The migrations table is the PostgreSQL schema's own (the SQLite one lists the same migrations).
  const copiedTables = [...tables.keys()].filter((t) => t !== 'migrations' && inSqlite.has(t));
  // Foreign keys: every table emptied at once, their triggers off while rows arrive in any order.
  await client.query(`TRUNCATE ${copiedTables.join(', ')}`);
  await client.query('SET session_replication_role = replica');
  const started = Date.now();
  for (const table of copiedTables) {
    const cols = tables.get(table);
    const sqliteCols = new Set(sqlite.prepare(`SELECT name FROM pragma_table_info('${table}')`).all().map((r) => r.name));
    const copied = cols.filter((c) => sqliteCols.has(c.column_name));
    const names = copied.map((c) => `"${c.column_name}"`).join(', ');
    // One parameter per column (an array), whatever the batch: unnest turns them back into rows.
    const insert = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${copied.map((c, i) => `$${i + 1}::${c.udt_name.replace(/^_/, '')}[]`).join(', ')})`;
    const convert = copied.map((c) => (c.data_type === 'boolean' ? (v) => (v === null ? null : Boolean(v)) : (v) => (typeof v === 'bigint' ? v.toString() : v)));
    const read = sqlite.prepare(`SELECT ${names} FROM ${table}`).raw(true).safeIntegers(true);
    let batch = copied.map(() => []);
    let n = 0;
    const flush = async () => {
      if (batch[0].length === 0) return;
      await client.query(insert, batch);
      batch = copied.map(() => []);
    };
    for (const row of read.iterate()) {
      for (let i = 0; i < row.length; i++) batch[i].push(convert[i](row[i]));
      if (++n % BATCH === 0) await flush();
      if (n % 1_000_000 === 0) log(`  ${table}: ${n.toLocaleString('en-US')} rows (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    await flush();
    log(`${table}: ${n.toLocaleString('en-US')} rows`);
  }
  // Serial ids arrived with their values: their sequences go on after the copied ones.
  const serials = (await client.query(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND column_default LIKE 'nextval(%'",
    [pgSchema],
  )).rows;
  for (const { table_name: t, column_name: c } of serials) {
    await client.query(`SELECT setval(pg_get_serial_sequence('${t}', '${c}'), COALESCE((SELECT MAX("${c}") FROM ${t}), 0) + 1, false)`);
  }
  log('ANALYZE');
  await client.query('ANALYZE');
  log(`copied in ${((Date.now() - started) / 1000).toFixed(0)} s into schema ${pgSchema}`);
} finally {
  await client.end();
  sqlite.close();
}
mkdirSync(to, { recursive: true });
writeFileSync(path.join(to, 'dataset.json'), JSON.stringify({ ...source, db: 'postgres', pgSchema, copiedFrom: from }));
log(`measure with: npm run bench:query -- --db postgres --rows ${source.rows} --data ${to} --skip-rebuild`);
