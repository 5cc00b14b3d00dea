#!/usr/bin/env node
// Query benchmark (issues 7, 15): dashboard queries on N raw cost rows, in process and over HTTP,
// with the longest event-loop block of the api server while the queries and one sync run.
//   npm run bench:query -- --rows 1000000 [--db sqlite|postgres] [--duration 30] [--connections 50]
//                          [--seed 42] [--budget 20] [--iterations 200] [--sync-items-per-day 1500] [--duckdb]
//                          [--remote-priority idle|normal] [--cpu-prof DIR] [--heap-sample FILE] [--api-flags=…]
// Ends with: query rows=N breakdown_p95_ms=… timeseries_p95_ms=… topn_p95_ms=… rg_p95_ms=… meter_p95_ms=…
//   tag_p95_ms=… year_p95_ms=… loop_block_max_ms=… http_p95_ms=… http_rps=… health_rps=… http_errors=… ceiling_rps=…
//   [host_stall_max_ms=… loop_block_max_less_host_stalls_ms=…]
// (host_stall_max_ms: the longest time in the queries' window that every CPU of the machine was
// stopped, seen by real-time probes, bench/query/host-stall-probe.mjs; the second field: the api's
// longest block less such stops inside it. loop_block_max_ms itself stays as measured.)
// (ceiling_rps: the same load against the same answers replayed from memory by a bare node:http
// server, bench/query/answers-server.mjs — what the generator reaches for these answers at all)
//
// 1. Data (bench/query/dataset.cjs): a year of a CSP partner's daily rated usage with the issue's
//    cardinalities, written through the store's own bulk upsert in pages, then the aggregates built
//    (store.rollups.rebuild()).
// 2. In process: CostRepository.aggregate, all-accounts scope, query cache off; p95 of each query.
// 3. Over HTTP: the api as the real server in its own process, embedded mode (api + worker in one
//    process), signed in with a session; the load generator (bench/query/load.mjs) in a third process, the
//    seven queries in rotation; then /api/health under the same load (the framework's floor).
// 4. While the queries run, the Partner Center simulator's `scale` account is connected through the
//    api and syncs into the same store; the api's event loop is watched by bench/query/loop-monitor.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    db: { type: 'string', default: 'sqlite' },
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' },
    seed: { type: 'string', default: '42' },
    // In process: each query runs until this many seconds are spent (at least 10, at most --iterations runs).
    budget: { type: 'string', default: '20' },
    iterations: { type: 'string', default: '200' },
    // Line items per day of the simulator's account synced during the HTTP load (~30 days of
    // them); 0: no concurrent sync (to tell the queries' share of a block from the sync's).
    'sync-items-per-day': { type: 'string', default: '1500' },
    // Also time the same queries in DuckDB (in memory) on the same raw rows: the analyst's tool to beat.
    duckdb: { type: 'boolean', default: false },
    // Write a V8 CPU profile of the api process into this directory (where its time goes under load).
    'cpu-prof': { type: 'string' },
    // Extra V8/Node flags for the api process (--api-flags=--trace-gc), and a file for its stdout.
    'api-flags': { type: 'string', default: '' },
    'api-log': { type: 'string' },
    // Write a sampling heap profile of the api over the queries' window into this file: the objects
    // that outlived a scavenge (node bench/query/heap-sample-top.mjs FILE summarises it).
    'heap-sample': { type: 'string' },
    // … counting every allocation, also those that died young (bytes allocated per request).
    'heap-sample-young': { type: 'boolean', default: false },
    // The load generator and the simulator stand for other machines (browsers, Microsoft). On the
    // benchmark's 2 cores they woke up and preempted the api's thread, and that wait counted as the
    // api's event-loop block. idle (default): they run with SCHED_IDLE (chrt), on what CPU the api
    // and its database leave; normal: as any process (what sessions before 2026-12-04 measured).
    'remote-priority': { type: 'string', default: 'idle' },
    // The api's shared query cache (MERIDIAN_QUERY_CACHE_SECONDS) during the HTTP load; 0 measures every query.
    'cache-seconds': { type: 'string', default: '15' },
    // Keep the generated dataset and reuse it when it is already there (same database, rows and seed):
    // SQLite's file in DIR; PostgreSQL's schema, named in DIR/dataset.json and not dropped. A 10M-row
    // dataset takes ~40 min to write, the measurements a few minutes.
    data: { type: 'string' },
    // Write the dataset (into --data) and stop: generate while the machine is busy, measure when it is quiet.
    'prepare-only': { type: 'boolean', default: false },
    // Skip the from-scratch rebuild after writing (the sync's deltas already built the aggregates).
    'skip-rebuild': { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const SYNC_ITEMS_PER_DAY = Number(values['sync-items-per-day']);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
if (!['sqlite', 'postgres'].includes(values.db)) throw new Error('--db must be sqlite or postgres');
if (!['idle', 'normal'].includes(values['remote-priority'])) throw new Error('--remote-priority must be idle or normal');
for (const [name, v] of Object.entries({
  duration: DURATION,
  connections: CONNECTIONS,
  seed: Number(values.seed),
  budget: Number(values.budget),
  iterations: Number(values.iterations),
})) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
}
if (!Number.isInteger(SYNC_ITEMS_PER_DAY) || SYNC_ITEMS_PER_DAY < 0) throw new Error('--sync-items-per-day must be an integer ≥ 0');
for (const f of ['libs/store/dist/index.js', 'apps/api/dist/main.js', 'apps/pc-sim/dist/main.js']) {
  if (!existsSync(path.join(root, f))) throw new Error(`${f} missing: run npm run build first`);
}
const { Store, SecretBox, AccessScope, AGGREGATE_TABLES, SPAN_TABLES } = require('@meridian/store');
const { normalizeDecimal, toDecimal } = require('@meridian/finops');
const pg = require('pg');
const dataset = require('./dataset.cjs');
const hostStalls = require('./host-stalls.cjs');

const { month, year } = dataset.RANGES;
const TAG_KEY = dataset.TAG_KEYS[0];
/** The seven queries: in process (groups + filter of CostRepository.aggregate) and as the api's route. */
const QUERIES = [
  {
    name: 'breakdown',
    what: "a month's service × region",
    groups: ['service', 'region'],
    range: month,
    path: `/api/costs/breakdown?groupBy=service,region&from=${month.from}&to=${month.to}`,
  },
  {
    name: 'timeseries',
    what: 'that month by day',
    groups: ['day'],
    range: month,
    path: `/api/costs/timeseries?granularity=day&from=${month.from}&to=${month.to}`,
  },
  {
    name: 'topn',
    what: 'top 10 customers of the month',
    groups: ['customer'],
    range: month,
    top: 10,
    path: `/api/costs/top?dimension=customer&limit=10&from=${month.from}&to=${month.to}`,
  },
  {
    name: 'rg',
    what: "a year's resource group × service",
    groups: ['resourceGroup', 'service'],
    range: year,
    path: `/api/costs/breakdown?groupBy=resourceGroup,service&from=${year.from}&to=${year.to}`,
  },
  {
    name: 'meter',
    what: "a year's meters",
    groups: ['meter'],
    range: year,
    path: `/api/costs/breakdown?groupBy=meter&from=${year.from}&to=${year.to}`,
  },
  {
    name: 'tag',
    what: `a month by tag ${TAG_KEY}`,
    groups: ['tag'],
    range: month,
    tagKey: TAG_KEY,
    path: `/api/costs/breakdown?groupBy=tag&tagKey=${TAG_KEY}&from=${month.from}&to=${month.to}`,
  },
  {
    name: 'year',
    what: 'service over the last 12 months',
    groups: ['service'],
    range: year,
    path: `/api/costs/breakdown?groupBy=service&from=${year.from}&to=${year.to}`,
  },
];

if (values['prepare-only'] && !values.data) throw new Error('--prepare-only needs --data DIR');
const work = values.data ? path.resolve(values.data) : mkdtempSync(path.join(tmpdir(), 'meridian-query-bench-'));
mkdirSync(work, { recursive: true });
/** A kept dataset: its description and key beside the SQLite file (PostgreSQL: and the schema that holds it, kept too). */
const datasetMarker = path.join(work, 'dataset.json');
const kept = values.data && existsSync(datasetMarker) ? JSON.parse(readFileSync(datasetMarker, 'utf8')) : undefined;
if (kept && (kept.db ?? 'sqlite') !== values.db) throw new Error(`${work} holds a ${kept.db ?? 'sqlite'} dataset: use another --data`);
if (kept && (kept.rows !== ROWS || kept.seed !== Number(values.seed))) throw new Error(`${work} holds a dataset of ${kept.rows} rows, seed ${kept.seed}: use another --data`);
if (kept && values.duckdb) throw new Error('--duckdb needs the generated rows: not with a kept dataset');
const secretKey = kept ? Buffer.from(kept.secretKey, 'base64') : randomBytes(32);
const pgUrl = process.env.DATABASE_TEST_URL || 'postgres://postgres@127.0.0.1:5432/test';
const pgSchema = kept?.pgSchema ?? `qbench_${randomBytes(4).toString('hex')}`;
const storeConfig =
  values.db === 'postgres'
    ? { type: 'postgres', url: pgUrl, schema: pgSchema }
    : { type: 'sqlite', database: path.join(work, 'meridian.sqlite') };
// The data dir also in PostgreSQL mode: nothing of the api's may land in the repository's ./data.
const storeEnv =
  values.db === 'postgres' ? { DATABASE_URL: pgUrl, DATABASE_SCHEMA: pgSchema, MERIDIAN_DATA_DIR: work } : { MERIDIAN_DATA_DIR: work };
const children = [];

const log = (line) => console.error(line);
const fmt = (n) => n.toLocaleString('en-US');

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs fn until the time budget is spent (10 runs at least, --iterations at most): p50 and p95 in ms. */
async function timeIt(label, fn) {
  const first = process.hrtime.bigint();
  await fn(); // warm-up, and the measure of how many runs the budget allows
  const firstMs = Number(process.hrtime.bigint() - first) / 1e6;
  const runs = Math.min(Number(values.iterations), Math.max(10, Math.floor((Number(values.budget) * 1000) / Math.max(firstMs, 0.01))));
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const r = { p50: percentile(ms, 50), p95: percentile(ms, 95) };
  log(`  ${label}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${runs} runs)`);
  return r;
}

/** A node process with its stdout collected (and streamed to stderr when `echo`). */
function startNode(args, env, { ipc = false, echo = false, remote = false } = {}) {
  // What stands for another machine (the browsers' load, Microsoft's simulator) runs at idle
  // priority (SCHED_IDLE) with --remote-priority idle: see the option.
  const [command, argv] =
    remote && values['remote-priority'] === 'idle' ? ['chrt', ['--idle', '0', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  child.output = '';
  child.stdout.on('data', (d) => {
    child.output += d;
    if (echo) process.stderr.write(d);
  });
  child.stderr.on('data', (d) => process.stderr.write(d));
  children.push(child);
  return child;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * One request on a connection of its own. While the api's event loop is blocked, the server's
 * keep-alive timer of an idle pooled connection runs late and closes it just as fetch() reuses it
 * (ECONNRESET): requests made during the load must not ride on a pooled connection.
 */
function requestAlone(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        // `bytes` as served (gzip when asked for), `text` as UTF-8.
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: res.headers, bytes, text: bytes.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An answer's bytes as served (not decoded) with the headers that describe them. */
async function rawAnswer(url, headers) {
  const r = await requestAlone(url, { headers });
  if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
  const kept = Object.fromEntries(['content-type', 'content-encoding', 'etag', 'vary', 'cache-control'].filter((h) => r.headers[h]).map((h) => [h, r.headers[h]]));
  return { headers: kept, body: r.bytes.toString('base64') };
}

/**
 * The same load against the same answers served from memory by a bare node:http server
 * (bench/query/answers-server.mjs): the generator's and the machine's ceiling for these answers.
 */
async function answersCeiling(base, paths, headers) {
  const answers = {};
  for (const p of paths) answers[p] = await rawAnswer(`${base}${p}`, headers);
  const file = path.join(work, 'answers-ceiling.json');
  writeFileSync(file, JSON.stringify(answers));
  const server = startNode([path.join(root, 'bench/query/answers-server.mjs'), file], {});
  const port = await new Promise((resolve, reject) => {
    server.stdout.on('data', () => {
      const m = /listening (\d+)/.exec(server.output);
      if (m) resolve(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`answers server exited ${code}`)));
  });
  try {
    return await runLoad(`http://127.0.0.1:${port}`, paths, {});
  } finally {
    server.kill('SIGTERM');
    rmSync(file, { force: true });
  }
}

/** Runs the load generator in its own process; resolves with its JSON result. */
function runLoad(base, paths, headers) {
  const child = startNode(
    [path.join(root, 'bench/query/load.mjs'), JSON.stringify({ url: base, paths, headers, connections: CONNECTIONS, duration: DURATION })],
    {},
    { remote: true },
  );
  return new Promise((resolve, reject) =>
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve(JSON.parse(child.output.trim().split('\n').pop()))
        : reject(new Error(`load generator exited ${code ?? signal}`)),
    ),
  );
}

/** Asks the api process's loop monitor (bench/query/loop-monitor.mjs) to reset or report. */
function loopMonitor(api, what, heapSample) {
  if (what === 'reset') return api.send({ loopMonitor: 'reset', heapSample, heapSampleYoung: values['heap-sample-young'] });
  return new Promise((resolve, reject) => {
    // A server that died must fail the run, not leave it waiting for an answer.
    if (api.exitCode !== null) return reject(new Error(`the api exited (${api.exitCode})`));
    api.once('exit', (code, signal) => reject(new Error(`the api exited (${code ?? signal})`)));
    api.once('message', (m) => resolve(m.loopMonitor));
    api.send({ loopMonitor: 'report', heapSample });
  });
}

async function loadData() {
  const store = await Store.open(storeConfig, SecretBox.fromKey(secretKey));
  try {
    if (!kept) await writeData(store);
    else {
      const removed = await removeEarlierSyncs(store);
      log(`data: the kept dataset in ${work} (${fmt(ROWS)} rows, seed ${kept.seed}; ${fmt(removed)} rows of earlier runs' concurrent syncs removed)`);
    }
    if (values['prepare-only']) return undefined;
    return await timeQueries(store);
  } finally {
    await store.close();
  }
}

/**
 * A kept dataset measured again: the rows an earlier run's concurrent sync wrote (the simulator's
 * account) go, from the raw table and every aggregate alike, so each run reads the generated rows.
 */
async function removeEarlierSyncs(store) {
  const ours = dataset.buildCatalog(Number(values.seed), dataset.MIN_ROWS).accounts.map((a) => a.id);
  const p = (i) => (values.db === 'postgres' ? `$${i + 1}` : '?');
  const notOurs = `billing_account_id NOT IN (${ours.map((_, i) => p(i)).join(', ')})`;
  let removed = 0;
  await store.dataSource.transaction(async (em) => {
    // Every table the store keeps per account, as the store lists them (the span tables too).
    for (const table of ['cost_line_item', ...[...AGGREGATE_TABLES, ...SPAN_TABLES].map((t) => t.name)]) {
      const [{ n }] = await em.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${notOurs}`, ours);
      if (table === 'cost_line_item') removed = Number(n);
      if (Number(n) > 0) await em.query(`DELETE FROM ${table} WHERE ${notOurs}`, ours);
    }
    // The account's Graph export checkpoint too: it names an operation of an earlier run's simulator
    // (another port), which the next run would try to resume and fail on.
    await em.query(`DELETE FROM graph_export_checkpoint WHERE account_id NOT IN (${ours.map((_, i) => p(i)).join(', ')})`, ours);
    // Its runs too, so that the run's log names only this run's syncs.
    await em.query(`DELETE FROM sync_run WHERE account_id NOT IN (${ours.map((_, i) => p(i)).join(', ')})`, ours);
    await em.query(`DELETE FROM account WHERE id NOT IN (${ours.map((_, i) => p(i)).join(', ')})`, ours);
  });
  return removed;
}

async function writeData(store) {
  const catalog = dataset.buildCatalog(Number(values.seed), ROWS);
  for (const a of catalog.accounts) {
    await store.accounts.upsertConnection(
      {
        id: a.id,
        name: `CSP ${a.id}`,
        cloud: a.cloud,
        tenantId: `t-${a.id}`,
        appId: 'a',
        secret: 's',
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
  const duckdbRows = values.duckdb ? createWriteStream(DUCKDB_ROWS_FILE) : undefined;
  duckdbRows?.write(`${DUCKDB_COLUMNS.map(([name]) => name).join('\t')}\n`);
  for (const page of dataset.pages(catalog, 2000)) {
    await store.costs.upsert(page);
    if (duckdbRows && !duckdbRows.write(page.map(duckdbLine).join(''))) await once(duckdbRows, 'drain');
    written += page.length;
    if (written % 250_000 < page.length) log(`  ${fmt(written)} rows written`);
  }
  const t1 = Date.now();
  // A kept dataset is only written (--prepare-only): its deltas built every aggregate, and a rebuild of 10M rows takes longer than writing them.
  const built = values['skip-rebuild'] || values['prepare-only'] ? undefined : await store.rollups.rebuild();
  const t2 = Date.now();
  log(
    `data: ${fmt(written)} raw rows (${catalog.resources.length} resources) in ${((t1 - t0) / 1000).toFixed(1)} s` +
      (built ? `; rollups.rebuild(): ${fmt(built.rows)} rows for ${built.periods} account-months in ${((t2 - t1) / 1000).toFixed(1)} s` : ''),
  );
  if (values.data) {
    const marker = { db: values.db, rows: ROWS, seed: Number(values.seed), secretKey: secretKey.toString('base64'), ...(values.db === 'postgres' ? { pgSchema } : {}) };
    writeFileSync(datasetMarker, JSON.stringify(marker));
  }
  if (duckdbRows) {
    duckdbRows.end();
    await once(duckdbRows, 'finish');
  }
}

async function timeQueries(store) {

  log('in process (CostRepository.aggregate, all accounts, query cache off):');
  const inProcess = {};
  for (const q of QUERIES) {
    const filter = { from: q.range.from, to: q.range.to, includeSandbox: false, ...(q.tagKey ? { tagKey: q.tagKey } : {}) };
    inProcess[q.name] = await timeIt(`${q.name} (${q.what})`, async () => {
      const cells = await store.costs.aggregate(AccessScope.all(), q.groups, filter);
      // Top N as the api ranks it: exact decimal comparison.
      if (q.top) cells.sort((a, b) => toDecimal(b.amount).comparedTo(toDecimal(a.amount))).slice(0, q.top);
      return cells;
    });
  }
  if (values.duckdb) {
    // DuckDB's sums are checked against these: both must have read the same rows.
    const { totals } = await store.costs.breakdown(AccessScope.all(), ['service'], { ...month, includeSandbox: false });
    inProcess.monthTotals = Object.fromEntries(totals.map((t) => [t.currency, normalizeDecimal(t.amount)]));
  }
  return inProcess;
}

// DuckDB gets the columns the queries read, from the same generated rows (tab-separated; tags as JSON).
const DUCKDB_ROWS_FILE = path.join(work, 'duckdb-rows.tsv');
const DUCKDB_COLUMNS = [
  ['account', 'VARCHAR', (r) => r.billingAccountId],
  ['currency', 'VARCHAR', (r) => r.billingCurrency],
  ['day', 'DATE', (r) => r.chargePeriodStart],
  ['customer', 'VARCHAR', (r) => r.xCustomerId],
  ['subscription', 'VARCHAR', (r) => r.subAccountId],
  ['service', 'VARCHAR', (r) => r.serviceName],
  ['region', 'VARCHAR', (r) => r.regionId],
  ['resource_group', 'VARCHAR', (r) => r.xResourceGroup],
  ['meter', 'VARCHAR', (r) => r.xMeterId],
  ['tags', 'VARCHAR', (r) => r.tags],
  ['cost', 'DECIMAL(38,10)', (r) => r.billedCost],
];
const duckdbLine = (row) => `${DUCKDB_COLUMNS.map(([, , get]) => get(row)).join('\t')}\n`;
/** The seven queries in DuckDB's SQL: exact DECIMAL sums per currency, as Meridian answers them. */
function duckdbSql(q) {
  const key = {
    service: 'service',
    region: 'region',
    day: 'day',
    customer: 'customer',
    resourceGroup: 'resource_group',
    meter: 'meter',
    tag: `coalesce(json_extract_string(tags, '$.${q.tagKey}'), '')`,
  };
  const groups = q.groups.map((g) => key[g]);
  const sql = `SELECT ${groups.join(', ')}, currency, sum(cost) AS amount FROM cost WHERE day BETWEEN DATE '${q.range.from}' AND DATE '${q.range.to}' GROUP BY ${groups.join(', ')}, currency`;
  return q.top ? `${sql} QUALIFY row_number() OVER (PARTITION BY currency ORDER BY amount DESC) <= ${q.top}` : sql;
}

async function duckdbTimes(monthTotals) {
  const { DuckDBInstance } = require('@duckdb/node-api');
  // Nothing is downloaded at run time: json (tags) is built into the package.
  const db = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const conn = await db.connect();
  const t0 = Date.now();
  const columns = DUCKDB_COLUMNS.map(([name, type]) => `'${name}': '${type}'`).join(', ');
  await conn.run(
    `CREATE TABLE cost AS SELECT * FROM read_csv('${DUCKDB_ROWS_FILE}', delim = '\t', quote = '', escape = '', header = true, columns = {${columns}})`,
  );
  log(
    `DuckDB (in memory, ${(await conn.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjects()[0].t} threads): ${fmt(ROWS)} rows loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const totals = (
    await conn.runAndReadAll(
      `SELECT currency, sum(cost)::VARCHAR AS amount FROM cost WHERE day BETWEEN DATE '${month.from}' AND DATE '${month.to}' GROUP BY currency`,
    )
  ).getRowObjects();
  for (const { currency, amount } of totals) {
    if (normalizeDecimal(amount) !== monthTotals[currency])
      throw new Error(`DuckDB ${currency} total of the month ${amount} ≠ Meridian's ${monthTotals[currency]}`);
  }
  const times = {};
  for (const q of QUERIES) {
    const sql = duckdbSql(q);
    times[q.name] = await timeIt(`DuckDB ${q.name}`, () => conn.runAndReadAll(sql));
  }
  conn.closeSync?.();
  log(`duckdb rows=${ROWS} ${QUERIES.map((q) => `${q.name}_p50_ms=${times[q.name].p50.toFixed(1)}`).join(' ')}`);
}

/** What loop-monitor.mjs saw in a measured window: the longest blocks, GC, CPU. */
function logWindow(window, requests) {
  log(`  its longest blocks: ${blocksSummary(window.longest)}`);
  log(`  garbage collection in that window: ${gcSummary(window.gc)}`);
  log(`  CPU in that window: ${cpuSummary(window.cpu, requests)}`);
}

/** The longest blocks, each with the main thread's time on a CPU and in the run queue during it. */
function blocksSummary(longest) {
  const shown = longest
    .slice(0, 6)
    .map((b) => (b.ranMs === undefined ? `${b.ms}` : `${b.ms} (ran ${b.ranMs}, waited for a CPU ${b.waitedMs})`))
    .join(', ');
  return `${shown || 'none ≥ 20 ms'} ms`;
}

/** The api's CPU in a measured window: its main thread's (per request answered) and all its threads'. */
function cpuSummary(cpu, requests) {
  const main =
    cpu.mainThreadMs === undefined
      ? ''
      : `main thread ${fmt(Math.round(cpu.mainThreadMs))} ms (${((1000 * cpu.mainThreadMs) / requests).toFixed(0)} µs per request), waited for a CPU ${fmt(Math.round(cpu.mainThreadWaitMs))} ms; `;
  return `${main}all threads ${fmt(Math.round(cpu.processMs))} ms (${((1000 * cpu.processMs) / requests).toFixed(0)} µs per request)`;
}

/** The api's GC pauses in a measured window (loop-monitor.mjs): count and time by kind, the longest. */
function gcSummary(gc) {
  const totals = Object.entries(gc.totals)
    .map(([kind, t]) => `${kind} ${fmt(t.count)}× ${t.ms.toFixed(0)} ms`)
    .join(', ');
  const longest = gc.longest
    .slice(0, 5)
    .map((p) => `${p.kind} ${p.ms}`)
    .join(', ');
  return `${totals || 'none'}; longest pauses (ms): ${longest || 'none ≥ 5 ms'}`;
}

/**
 * Scaled mode: PostgreSQL is a server of its own there, but on this benchmark's machine its
 * backends share the api's two cores, and the api's main thread waited 63–93 ms for a CPU in each
 * of the longest blocks of a PostgreSQL run (second session of 2026-12-04). With --remote-priority
 * idle the backends serving the api (application_name 'meridian', and their parallel workers) run
 * at idle priority as the other remote processes do; they are looked up every 200 ms, since the
 * pool opens connections as it needs them. Returns a stop function that reports how many were set.
 */
function postgresBackendsAtIdlePriority() {
  if (values.db !== 'postgres' || values['remote-priority'] !== 'idle') return async () => undefined;
  const client = new pg.Client({ connectionString: pgUrl });
  const done = new Set();
  let stopped = false;
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      const { rows } = await client.query(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'meridian'
            OR leader_pid IN (SELECT pid FROM pg_stat_activity WHERE application_name = 'meridian')`,
      );
      for (const { pid } of rows) {
        if (done.has(pid)) continue;
        done.add(pid);
        // A parallel worker may be gone by now: chrt's failure is then expected and ignored.
        spawnSync('chrt', ['--idle', '-p', '0', String(pid)], { stdio: 'ignore' });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return async () => {
    stopped = true;
    await loop.finally(() => client.end());
    return done.size;
  };
}

/**
 * One host-stall probe per CPU (host-stall-probe.mjs), at real-time priority and pinned: the times
 * the VM itself did not run, to tell them from the api's own blocks. Needs chrt and taskset with
 * the right to use SCHED_FIFO (root here); without them the benchmark says so and goes on.
 */
function startHostStallProbes() {
  const cpus = Array.from({ length: availableParallelism() }, (_, i) => i);
  const usable = spawnSync('chrt', ['--fifo', '50', 'taskset', '--cpu-list', '0', 'true']).status === 0;
  if (!usable) {
    log('host-stall probes: not started (chrt --fifo or taskset unavailable); blocks are reported as measured');
    return undefined;
  }
  const stops = [];
  for (const cpu of cpus) {
    const probe = spawn('chrt', ['--fifo', '50', 'taskset', '--cpu-list', String(cpu), process.execPath, path.join(root, 'bench/query/host-stall-probe.mjs'), String(cpu)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let pending = '';
    probe.stdout.on('data', (d) => {
      const lines = (pending + d).split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const message = line ? JSON.parse(line) : {};
        if (message.startUs !== undefined) stops.push(message);
      }
    });
    children.push(probe);
  }
  /** The machine-wide stops between two monotonic µs. */
  return (fromUs, toUs) => hostStalls.machineWideStops(stops.filter((s) => s.endUs > fromUs && s.startUs < toUs), cpus);
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** The window's machine-wide stops and its longest blocks less them (loop-monitor.mjs's 5 ms tick). */
function hostStallsIn(stopsBetween, window, fromUs, toUs) {
  if (!stopsBetween) return undefined;
  const stops = stopsBetween(fromUs, toUs).map((s) => ({ startUs: Math.max(s.startUs, fromUs), endUs: Math.min(s.endUs, toUs) }));
  const blocks = hostStalls.blocksLessStops(window.longest, stops, 5);
  const maxStopMs = Math.max(0, ...stops.map((s) => (s.endUs - s.startUs) / 1000));
  // The list holds the longest blocks (≥ 20 ms) as the 5 ms tick saw them, which can read a few ms
  // longer than the histogram's maximum: less the stops, no block is longer than that maximum.
  const ownMaxMs = blocks.length > 0 ? Math.min(window.blockMaxMs, Math.max(...blocks.map((b) => b.ownMs))) : window.blockMaxMs;
  return { stops, blocks, maxStopMs, ownMaxMs };
}

/** One line on the window's host stops and what the longest blocks were without them. */
function logHostStalls(h) {
  if (!h) return;
  const longestStops = [...h.stops].sort((a, b) => b.endUs - b.startUs - (a.endUs - a.startUs)).slice(0, 5).map((s) => ((s.endUs - s.startUs) / 1000).toFixed(1));
  const stopped = h.blocks.filter((b) => b.stoppedMs > 0).slice(0, 6).map((b) => `${b.ms} (whole VM stopped ${b.stoppedMs}, the api ${b.ownMs})`);
  log(
    `  the whole VM stopped (every CPU's real-time probe late at once): ${h.stops.length}×, longest ${longestStops.join(', ') || '–'} ms; ` +
      `blocks containing such a stop: ${stopped.join(', ') || 'none'}; longest block less the stops ${h.ownMaxMs.toFixed(1)} ms`,
  );
}

async function overHttp() {
  const stopsBetween = startHostStallProbes();
  const stopBackendPriority = postgresBackendsAtIdlePriority();
  const sim = startNode([path.join(root, 'apps/pc-sim/dist/main.js')], {
    SIM_PORT: '0',
    SIM_HOST: '127.0.0.1',
    SIM_PROFILE: 'scale',
    SIM_SCALE_ITEMS_PER_DAY: String(Math.max(1, SYNC_ITEMS_PER_DAY)),
    // Previous period = November, the month the queries read: the sync refreshes its aggregates.
    SIM_NOW: '2026-12-01T12:00:00Z',
    SIM_GRAPH_DELAY_SECONDS: '0',
  }, { remote: true });
  const simUrl = await new Promise((resolve, reject) => {
    sim.stdout.on('data', () => {
      const m = /listening on (\S+)/.exec(sim.output);
      if (m) resolve(m[1]);
    });
    sim.on('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const owner = { email: 'bench@example.test', password: 'a long bench password 1' };
  const api = startNode(
    [
      ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`] : []),
      ...values['api-flags'].split(/\s+/).filter(Boolean),
      '--import', path.join(root, 'bench/query/loop-monitor.mjs'),
      path.join(root, 'apps/api/dist/main.js'),
    ],
    {
      ...storeEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      MERIDIAN_SECRET_KEY: secretKey.toString('base64'),
      MERIDIAN_OWNER_EMAIL: owner.email,
      MERIDIAN_OWNER_PASSWORD: owner.password,
      MERIDIAN_EMBEDDED_WORKER: 'true',
      MERIDIAN_QUERY_CACHE_SECONDS: values['cache-seconds'],
      MERIDIAN_DEMO_SIM_URL: '',
      REDIS_URL: '',
    },
    { ipc: true },
  );
  if (values['api-log']) api.stdout.pipe(createWriteStream(path.resolve(values['api-log'])));
  await waitFor(`${base}/api/health`, 120_000, api);

  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(owner),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const { csrfToken } = await login.json();
  const headers = { cookie };
  const sizes = [];
  for (const q of QUERIES) {
    const r = await fetch(`${base}${q.path}`, { headers });
    if (!r.ok) throw new Error(`${q.name} over HTTP: ${r.status} ${await r.text()}`);
    const body = await r.json();
    sizes.push(`${q.name} ${fmt(JSON.stringify(body).length)} B (${fmt((body.rows ?? body.points ?? body.currencies ?? []).length)} rows)`);
  }
  log(`answers over HTTP: ${sizes.join(', ')}`);

  // The concurrent sync: connect the simulator's account as an admin would (which queues its first
  // sync), once the load has started.
  const simAccount = (await (await fetch(`${simUrl}/_sim/accounts`)).json()).items.find((a) => a.id === 'scale');
  const connect = async () => {
    const body = {
      id: 'scale',
      name: simAccount.name,
      cloud: simAccount.cloud,
      tenantId: simAccount.tenantId,
      appId: simAccount.appId,
      secret: simAccount.secret,
      currency: simAccount.currency,
      apiBaseUrl: simAccount.baseUrl,
      tokenUrl: simAccount.tokenUrl,
      tokenResource: simAccount.resource,
      graphBaseUrl: simAccount.graphBaseUrl,
      graphTokenUrl: simAccount.graphTokenUrl,
    };
    const r = await requestAlone(`${base}/api/accounts`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify(body),
    });
    if (r.status !== 201) throw new Error(`connecting the simulator's account: ${r.status} ${r.text}`);
  };

  const heapSample = values['heap-sample'] ? path.resolve(values['heap-sample']) : undefined;
  loopMonitor(api, 'reset', heapSample);
  const queriesFromUs = monotonicUs();
  // As a browser asks: every browser sends Accept-Encoding, and a year's resource groups is 0.5 MB
  // of JSON that the api keeps gzipped (PreparedJson). Without it the socket writes of those bodies
  // were the longest part of the event loop's turns under this load (profile-blocks.mjs, 2026-12-03).
  const loadHeaders = { ...headers, 'accept-encoding': 'gzip' };
  const queryLoad = runLoad(
    base,
    QUERIES.map((q) => q.path),
    loadHeaders,
  );
  queryLoad.catch(() => undefined); // awaited below; a failure to connect must not hide behind it
  await new Promise((r) => setTimeout(r, 1000));
  if (SYNC_ITEMS_PER_DAY > 0) await connect();
  const queries = await queryLoad;
  const loop = await loopMonitor(api, 'report', heapSample);
  const queriesStalls = hostStallsIn(stopsBetween, loop, queriesFromUs, monotonicUs());
  if (heapSample) {
    log(`heap sample of the queries' window (${values['heap-sample-young'] ? 'every allocation' : 'objects that outlived a scavenge'}): ${heapSample}`);
  }
  const runs =
    SYNC_ITEMS_PER_DAY > 0 ? JSON.parse((await requestAlone(`${base}/api/accounts/scale/sync-runs`, { headers })).text).items : [];
  const usage = runs.filter((r) => /usage/.test(r.stream));
  log(
    `HTTP, ${CONNECTIONS} connections, ${DURATION} s, the ${QUERIES.length} queries in rotation: ${fmt(queries.requests)} requests, ${queries.rps.toFixed(1)} req/s, ` +
      `p50 ${queries.p50Ms.toFixed(1)} ms, p95 ${queries.p95Ms.toFixed(1)} ms, max ${queries.maxMs.toFixed(1)} ms, non-2xx ${queries.non2xx}, socket errors ${queries.errors} (of which timeouts ${queries.timeouts})`,
  );
  log(
    `concurrent sync (simulator account "scale"): ${runs.length} runs so far; usage: ${usage.map((r) => `${r.stream} ${r.status} ${fmt(r.rows ?? 0)} rows`).join('; ') || 'none yet'}`,
  );
  const failed = runs.find((r) => r.status === 'failed');
  if (failed) log(`  a failed run (${failed.stream}): ${failed.error}`);
  log(
    `api event loop while queries + sync ran: longest block ${loop.blockMaxMs.toFixed(1)} ms, p99 ${loop.blockP99Ms.toFixed(1)} ms (${fmt(loop.samples)} samples)`,
  );
  logWindow(loop, queries.requests);
  logHostStalls(queriesStalls);

  // The server may still be answering requests the load generator gave up on: the floor is
  // measured once it is idle again (three quick health checks in a row).
  for (let quick = 0; quick < 3;) {
    const t = Date.now();
    await requestAlone(`${base}/api/health`);
    quick = Date.now() - t < 50 ? quick + 1 : 0;
  }
  const ceiling = await answersCeiling(
    base,
    QUERIES.map((q) => q.path),
    loadHeaders,
  );
  log(
    `the same ${QUERIES.length} answers (as served, gzip) from memory by a bare node:http server, same load: ${ceiling.rps.toFixed(0)} req/s, p95 ${ceiling.p95Ms.toFixed(1)} ms ` +
      `(the generator's ceiling for these answers: the api reached ${((100 * queries.rps) / ceiling.rps).toFixed(0)} % of it)`,
  );
  loopMonitor(api, 'reset');
  const healthFromUs = monotonicUs();
  const health = await runLoad(base, ['/api/health'], {});
  const healthLoop = await loopMonitor(api, 'report');
  const healthStalls = hostStallsIn(stopsBetween, healthLoop, healthFromUs, monotonicUs());
  // Under 50 connections one turn of the event loop serves every socket that is ready: the health
  // route's own longest "block" is that floor, with no query and no sync behind it.
  log(
    `HTTP /api/health, same load: ${health.rps.toFixed(0)} req/s, p95 ${health.p95Ms.toFixed(1)} ms, errors ${health.non2xx + health.errors}; ` +
      `event loop: longest block ${healthLoop.blockMaxMs.toFixed(1)} ms, p99 ${healthLoop.blockP99Ms.toFixed(1)} ms`,
  );
  logWindow(healthLoop, health.requests);
  logHostStalls(healthStalls);
  if (values['cpu-prof']) {
    mkdirSync(path.resolve(values['cpu-prof']), { recursive: true });
    const file = path.join(path.resolve(values['cpu-prof']), 'loop-blocks.json');
    writeFileSync(file, JSON.stringify({ queries: loop.longest, health: healthLoop.longest, gc: { queries: loop.gc.longest, health: healthLoop.gc.longest }, slowStatements: { queries: loop.statements, health: healthLoop.statements } }, null, 1));
    log(`the longest blocks' ends (for node bench/query/profile-blocks.mjs): ${file}`);
  }
  const backendsIdle = await stopBackendPriority();
  if (backendsIdle !== undefined) log(`PostgreSQL backends of the api run at idle priority (--remote-priority idle): ${backendsIdle}`);
  return { queries, health, loop, ceiling, queriesStalls };
}

try {
  log(`query benchmark: ${fmt(ROWS)} rows on ${values.db}, seed ${values.seed}`);
  const inProcess = await loadData();
  if (!inProcess) {
    log(`dataset written to ${work}; measure with --data ${values.data}`);
    process.exit(0);
  }
  if (values.duckdb) await duckdbTimes(inProcess.monthTotals);
  const { queries, health, loop, ceiling, queriesStalls } = await overHttp();
  const p95 = QUERIES.map((q) => `${q.name}_p95_ms=${inProcess[q.name].p95.toFixed(1)}`).join(' ');
  console.log(
    `query rows=${ROWS} ${p95} loop_block_max_ms=${loop.blockMaxMs.toFixed(0)} http_p95_ms=${queries.p95Ms.toFixed(0)} http_rps=${queries.rps.toFixed(1)} ` +
      `health_rps=${health.rps.toFixed(0)} http_errors=${queries.non2xx + queries.errors} ceiling_rps=${ceiling.rps.toFixed(0)}` +
      (queriesStalls ? ` host_stall_max_ms=${queriesStalls.maxStopMs.toFixed(0)} loop_block_max_less_host_stalls_ms=${queriesStalls.ownMaxMs.toFixed(0)}` : ''),
  );
} finally {
  // The api first: its sync must not fail on a simulator that is already gone.
  for (const c of children.reverse()) {
    if (c.exitCode === null) c.kill('SIGTERM');
    await new Promise((r) => (c.exitCode === null ? c.on('exit', r) : r()));
  }
  if (values.db === 'postgres' && !values.data) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
    await c.end();
  }
  if (!values.data) rmSync(work, { recursive: true, force: true });
}
