#!/usr/bin/env node
// FOCUS export benchmark (issue 16): rows/s and peak RSS of GET /api/exports/focus's writer at N rows,
// CSV and Parquet, against the line-item costs.csv export of the same rows measured in the same run.
//   npm run bench:focus -- --rows 1000000 [--seed 42] [--db sqlite|postgres] [--scope all|viewer]
// --scope viewer exports as a viewer granted every account but one (`global-apac`) through an explicit
// account list, as the api does for any user without the owner's all-accounts scope.
// Ends with: focus rows=N csv_rows_per_s=… csv_peak_rss_mb=… parquet_rows_per_s=… parquet_peak_rss_mb=…
//   baseline_rows_per_s=… baseline_peak_rss_mb=… csv_ratio=… parquet_ratio=…
//
// Data: bench/query/dataset.cjs's year of daily rated usage (the cardinalities of bench/query), written
// straight into cost_line_item with one prepared statement: an export reads only the raw line items,
// so the aggregates the store's upsert keeps (decision 0017) are not built — seeding takes seconds,
// not the ingest's minutes. Each export runs in its own process (bench/focus/export-child.mjs) through
// the api's ExportsService, writing to a byte-counting sink, so its peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '42' }, db: { type: 'string', default: 'sqlite' }, scope: { type: 'string', default: 'all' } },
});
const ROWS = Number(values.rows);
if (!Number.isInteger(ROWS) || ROWS < 1) throw new Error('--rows must be a positive integer');
if (!['sqlite', 'postgres'].includes(values.db)) throw new Error('--db must be sqlite or postgres');
if (!['all', 'viewer'].includes(values.scope)) throw new Error('--scope must be all or viewer');
for (const f of ['libs/store/dist/index.js', 'apps/api/dist/exports/exports.service.js']) {
  if (!existsSync(path.join(root, f))) throw new Error(`${f} missing: run npm run build first`);
}
const { Store, SecretBox } = require('@meridian/store');
const Database = require('better-sqlite3');
const pg = require('pg');
const dataset = require('../query/dataset.cjs');

const log = (s) => console.error(s);
const fmt = (n) => n.toLocaleString('en-US');
const work = mkdtempSync(path.join(tmpdir(), 'meridian-focus-bench-'));
const secretKey = randomBytes(32);
const pgUrl = process.env.DATABASE_TEST_URL || 'postgres://postgres@127.0.0.1:5432/test';
const storeConfig =
  values.db === 'postgres'
    ? { type: 'postgres', url: pgUrl, schema: `fbench_${randomBytes(4).toString('hex')}` }
    : { type: 'sqlite', database: path.join(work, 'meridian.sqlite') };

try {
  const catalog = dataset.buildCatalog(Number(values.seed), ROWS);
  const store = await Store.open(storeConfig, SecretBox.fromKey(secretKey));
  const columns = store.dataSource.getMetadata('cost_line_item').columns.map((c) => ({ property: c.propertyName, column: c.databaseName }));
  for (const a of catalog.accounts) {
    await store.accounts.upsertConnection(
      { id: a.id, name: `CSP ${a.id}`, cloud: a.cloud, tenantId: `t-${a.id}`, appId: 'a', secret: 's', apiBaseUrl: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9/t', tokenResource: 'r', currency: a.currency, sandbox: false, enabled: false },
      { userId: null, via: 'bench' },
    );
  }
  const t0 = Date.now();
  let written = 0;
  if (values.db === 'postgres') {
    // Multi-row INSERTs of 500 rows (well under PostgreSQL's 65,535 parameters), then fresh statistics.
    for (const page of dataset.pages(catalog, 500)) {
      const params = [];
      const tuples = page.map((r) => `(${columns.map((c) => (params.push(r[c.property] ?? null), `$${params.length}`)).join(', ')})`);
      await store.dataSource.query(`INSERT INTO cost_line_item (${columns.map((c) => c.column).join(', ')}) VALUES ${tuples.join(', ')}`, params);
      written += page.length;
    }
    await store.dataSource.query('VACUUM ANALYZE cost_line_item');
    await store.close();
  } else {
    await store.close();
    const db = new Database(storeConfig.database);
    const insert = db.prepare(`INSERT INTO cost_line_item (${columns.map((c) => c.column).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    const insertPage = db.transaction((page) => {
      for (const r of page) insert.run(columns.map((c) => r[c.property] ?? null));
    });
    for (const page of dataset.pages(catalog, 5000)) {
      insertPage(page);
      written += page.length;
    }
    db.close();
  }
  log(`data: ${fmt(written)} raw rows seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const { from } = dataset.RANGES.year;
  const { to } = dataset.RANGES.year;

  const run = (kind) => {
    const child = spawnSync(process.execPath, [path.join(root, 'bench/focus/export-child.mjs'), JSON.stringify(storeConfig), secretKey.toString('base64'), kind, from, to, values.scope], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`${kind} export failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop());
    const rps = Math.round(r.rows / r.seconds);
    log(`${kind}: ${fmt(r.rows)} rows, ${(r.bytes / 1e6).toFixed(0)} MB in ${r.seconds.toFixed(1)} s = ${fmt(rps)} rows/s, peak RSS ${r.peakRssMb} MB`);
    return { ...r, rps };
  };
  const baseline = run('costs-csv');
  const csv = run('focus-csv');
  const parquet = run('focus-parquet');
  if (csv.rows !== baseline.rows || parquet.rows !== baseline.rows) throw new Error(`row counts differ: costs.csv ${baseline.rows}, FOCUS CSV ${csv.rows}, Parquet ${parquet.rows}`);
  console.log(
    `focus rows=${csv.rows} db=${values.db} scope=${values.scope} csv_rows_per_s=${csv.rps} csv_peak_rss_mb=${csv.peakRssMb} parquet_rows_per_s=${parquet.rps} parquet_peak_rss_mb=${parquet.peakRssMb} ` +
      `baseline_rows_per_s=${baseline.rps} baseline_peak_rss_mb=${baseline.peakRssMb} csv_ratio=${(csv.rps / baseline.rps).toFixed(2)} parquet_ratio=${(parquet.rps / baseline.rps).toFixed(2)}`,
  );
} finally {
  if (storeConfig.type === 'postgres') {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${storeConfig.schema} CASCADE`);
    await c.end();
  }
  rmSync(work, { recursive: true, force: true });
}
