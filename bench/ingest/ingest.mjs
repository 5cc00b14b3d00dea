#!/usr/bin/env node
// Ingest benchmark (issue 5): end-to-end rows/s from the Partner Center simulator into the store
// (the real sync: paging, validation, mapping, bulk upsert), against a baseline measured in the
// same run: the same rows, same table and natural-key index, straight through better-sqlite3.
//   npm run bench:ingest -- --rows 1000000 [--source graph|v1] [--db sqlite|postgres] [--sim cached|live]
//                                [--baselines both|arrival|none] [--concurrent K] [--cpu-prof DIR]
// --source graph (default): the account's usage comes from the Microsoft Graph billing export (v1
// retired in the simulator, as at Microsoft for the global cloud); v1: the paged reads.
// --sim cached (default): the simulator's pages are rendered once before the clock starts (a reader
// walks them all) and served from its page cache while the sync runs, so the simulator's rendering
// does not take the CPU the sync needs: Partner Center renders pages on its own servers.
// --sim live: the simulator renders every page while the sync reads it.
// --baselines arrival: measure only the baselines the final line uses (arrival order, with and without the aggregates; saves the key-ordered one at 10M).
// --baselines none: the sync alone (rows/s and peak RSS; at 10M the baselines take over an hour, most of it reading the rows back).
// --concurrent K: K syncs at once in the worker process, each into its own store (a worker runs
// several account jobs at once): measures their peak RSS; no baseline, and the last line says so.
// --cpu-prof DIR: the worker process writes V8 CPU profiles (main thread and worker threads) into DIR.
// Ends with: ingest rows=N rows_per_s=X baseline_rows_per_s=Y ratio=R peak_rss_mb=M source=graph|v1
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { nextPageRequest, readGraphExport, simAccount, unbilledUsageRequest } from '../sim-client.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, db: { type: 'string', default: 'sqlite' }, sim: { type: 'string', default: 'cached' }, baselines: { type: 'string', default: 'both' }, concurrent: { type: 'string', default: '1' }, source: { type: 'string', default: 'graph' }, 'lines-per-blob': { type: 'string', default: '250000' }, 'cpu-prof': { type: 'string' } } });
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1000) throw new Error('--rows must be an integer ≥ 1000');
if (!['sqlite', 'postgres'].includes(values.db)) throw new Error('--db must be sqlite or postgres');
if (!['cached', 'live'].includes(values.sim)) throw new Error('--sim must be cached or live');
if (!['graph', 'v1'].includes(values.source)) throw new Error('--source must be graph or v1');
const linesPerBlob = Number(values['lines-per-blob']);
if (!Number.isInteger(linesPerBlob) || linesPerBlob < 1) throw new Error('--lines-per-blob must be a positive integer');
if (!['both', 'arrival', 'none'].includes(values.baselines)) throw new Error('--baselines must be both, arrival or none');
const concurrent = Number(values.concurrent);
if (!Number.isInteger(concurrent) || concurrent < 1 || concurrent > 8) throw new Error('--concurrent must be an integer from 1 to 8');
for (const f of ['apps/pc-sim/dist/index.js', 'libs/sync/dist/index.js']) {
  if (!existsSync(path.join(root, f))) throw new Error(`${f} missing: run npm run build first`);
}

// The simulator's clock is fixed on the 1st of a month, so its "previous" period is one whole
// month (31 days of October) and "current" is empty: rows/31 line items a day gives ~N rows.
const NOW = '2026-11-01T12:00:00Z';
const DAYS = 31;
const itemsPerDay = Math.ceil(rows / DAYS);

// The worker runs with the V8 flags of the worker image (Dockerfile, target worker).
const workerStage = /FROM runtime AS worker\n([\s\S]*?)(?:\nFROM |$)/.exec(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const workerNodeOptions = /NODE_OPTIONS="([^"]*)"/.exec(workerStage?.[1] ?? '')?.[1];
if (!workerNodeOptions) throw new Error('Dockerfile: no NODE_OPTIONS in the worker target');

function run(cmd, args, env = {}, nodeFlags = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, cmd, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').pop()) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

async function startSim(pageCacheDir) {
  const child = spawn(process.execPath, [path.join(root, 'apps/pc-sim/dist/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      SIM_PORT: '0',
      SIM_NOW: NOW,
      SIM_SCALE_ITEMS_PER_DAY: String(itemsPerDay),
      SIM_PAGE_CACHE_DIR: pageCacheDir ?? '',
      // Graph: v1 usage reads retired as at Microsoft; the export is ready at once (the wait for
      // Microsoft is not the pipeline's speed) and split into blobs of --lines-per-blob lines.
      SIM_RETIRE_V1: values.source === 'graph' ? 'true' : 'false',
      SIM_GRAPH_DELAY_SECONDS: '0',
      SIM_GRAPH_LINES_PER_BLOB: String(linesPerBlob),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = /listening on (\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

const work = mkdtempSync(path.join(tmpdir(), 'meridian-bench-'));
const pgUrl = process.env.DATABASE_TEST_URL || 'postgres://postgres@127.0.0.1:5432/test';
const pgSchemas = [];
/** The store of the i-th concurrent sync: its own SQLite file or PostgreSQL schema. */
function storeConfigOf(i) {
  if (values.db === 'sqlite') return { type: 'sqlite', database: path.join(work, `meridian-${i}.sqlite`) };
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  pgSchemas.push(schema);
  return { type: 'postgres', url: pgUrl, schema };
}
const storeConfigs = Array.from({ length: concurrent }, (_, i) => storeConfigOf(i));
async function dropSchemas() {
  if (pgSchemas.length === 0) return;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  for (const schema of pgSchemas) await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}

/** Reads every unbilled usage page (v1) or export blob (Graph) the sync will read, once. */
async function warmPageCache(simUrl) {
  if (values.source === 'graph') {
    const t0 = Date.now();
    let bytes = 0;
    for (const period of ['last', 'current']) bytes += await readGraphExport(simUrl, 'scale', period);
    console.error(`simulator page cache: Graph export blobs (${(bytes / 1e6).toFixed(1)} MB gzip) rendered in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return;
  }
  const { acct, token } = await simAccount(simUrl, 'scale');
  let items = 0;
  const t0 = Date.now();
  for (const period of ['previous', 'current']) {
    for (let req = unbilledUsageRequest(acct, period, 2000); req; ) {
      const r = await fetch(req.url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...req.headers } });
      const page = await r.json();
      if (r.status !== 200) throw new Error(`warming the page cache: ${r.status} ${JSON.stringify(page).slice(0, 200)}`);
      items += page.items.length;
      req = nextPageRequest(acct, page);
    }
  }
  console.error(`simulator page cache: ${items.toLocaleString('en-US')} line items rendered in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const sim = await startSim(values.sim === 'cached' ? path.join(work, 'pages') : undefined);
try {
  const truth = await (await fetch(`${sim.url}/_sim/ground-truth?account=scale&from=2026-10-01&to=2026-10-31`)).json();
  console.error(`simulator: account "scale", ${truth.lineItems.toLocaleString('en-US')} line items in October 2026`);
  if (values.sim === 'cached') await warmPageCache(sim.url);
  console.error(`worker NODE_OPTIONS (as in the worker image): ${workerNodeOptions}`);
  const ingest = JSON.parse(await run('bench/ingest/ingest-worker.mjs', [JSON.stringify({ simUrl: sim.url, accountId: 'scale', storeConfigs, usageApi: values.source })], { NODE_OPTIONS: workerNodeOptions },
    // --cpu-prof DIR: a V8 CPU profile per thread of the worker process, written when it exits
    // (a command-line flag: Node refuses --cpu-prof in NODE_OPTIONS).
    values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`] : [],
  ));
  if (ingest.status !== 'succeeded') throw new Error(`sync failed: ${ingest.error}`);
  for (const synced of ingest.rowsPerSync) if (synced !== truth.lineItems) throw new Error(`synced ${synced} rows, ground truth has ${truth.lineItems}`);
  ingest.rows = ingest.rowsPerSync.reduce((a, b) => a + b, 0);
  console.error(
    `ingest: ${ingest.rows} rows${concurrent > 1 ? ` (${concurrent} syncs at once)` : ''} in ${ingest.seconds.toFixed(1)} s (of which ${ingest.afterPagesSeconds.toFixed(1)} s after the last page: sweep + rollup), peak RSS ${ingest.peakRssMb.toFixed(0)} MB`,
  );
  if (concurrent > 1 || values.baselines === 'none') {
    console.log(`ingest concurrent=${concurrent} rows=${ingest.rows} rows_per_s=${Math.round(ingest.rows / ingest.seconds)} peak_rss_mb=${Math.round(ingest.peakRssMb)} source=${values.source} (no baseline)`);
  } else {
    const rps = ingest.rows / ingest.seconds;
    const baselines = {};
    for (const order of values.baselines === 'both' ? ['key', 'arrival', 'arrival-aggregates'] : ['arrival', 'arrival-aggregates']) {
      const target = path.join(work, `baseline-${order}.sqlite`);
      const b = JSON.parse(await run('bench/ingest/baseline.mjs', [JSON.stringify({ source: storeConfigs[0], target, accountId: 'scale', order })]));
      if (b.rows !== ingest.rows) throw new Error(`baseline (${order} order) wrote ${b.rows} rows, the sync ${ingest.rows}`);
      baselines[order] = b.rows / b.seconds;
      rmSync(target, { force: true });
      console.error(
        `baseline (better-sqlite3, prepared upsert, 5,000-row transactions, ${order === 'arrival-aggregates' ? 'arrival order, plus the five pre-aggregates through the store\'s AggregateWriter' : `${order} order`}): ${b.rows} rows in ${b.seconds.toFixed(1)} s = ` +
          `${Math.round(baselines[order]).toLocaleString('en-US')} rows/s (ratio ${(rps / baselines[order]).toFixed(2)})`,
      );
    }
    // The ratio is against the rows in the order a sync receives them (docs/performance.md).
    const brps = baselines.arrival;
    // store_ratio: against the same rows written with their aggregates straight through the store's writer (decision 0025).
    const srps = baselines['arrival-aggregates'];
    console.log(
      `ingest rows=${ingest.rows} rows_per_s=${Math.round(rps)} baseline_rows_per_s=${Math.round(brps)} ratio=${(rps / brps).toFixed(2)} peak_rss_mb=${Math.round(ingest.peakRssMb)} source=${values.source} store_baseline_rows_per_s=${Math.round(srps)} store_ratio=${(rps / srps).toFixed(2)}`,
    );
  }
} finally {
  sim.stop();
  await dropSchemas();
  rmSync(work, { recursive: true, force: true });
}
