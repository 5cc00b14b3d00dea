#!/usr/bin/env node
// bench:soak — the embedded mode for M minutes under a steady dashboard load, with syncs every
// minute against the simulator with its faults on, and alert evaluations every minute.
//
//   npm run build && npm run bench:soak -- --minutes 30 [--clients 20] [--fault-rate 0.02]
//
// Processes: the simulator, the api (embedded: SQLite, in-process worker) with an event-loop
// monitor preloaded (bench/query/loop-monitor.mjs), and the load generator (bench/soak/load.mjs).
// Every minute: the api's RSS, its longest event-loop block, the load's p95 and errors. At the end:
//   soak minutes=M rss_start_mb=… rss_end_mb=… rss_max_mb=… p95_ms_first=… p95_ms_last=… errors=… totals_exact=true|false
// (start/first: the first minute after the first full sync; the target compares the last minute
// with the second one, also printed as rss_second_mb and p95_ms_second). totals_exact compares every
// production account's cost by service × region with the simulator's ground truth.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    clients: { type: 'string', default: '20' },
    'fault-rate': { type: 'string', default: '0.02' },
    dir: { type: 'string' },
  },
});
const MINUTES = Number(values.minutes);
const CLIENTS = Number(values.clients);
const FAULT_RATE = Number(values['fault-rate']);
if (!Number.isInteger(MINUTES) || MINUTES < 2) throw new Error('--minutes must be a whole number ≥ 2');
for (const f of ['apps/api/dist/main.js', 'apps/pc-sim/dist/main.js'])
  if (!existsSync(path.join(root, f))) throw new Error(`${f} missing: run npm run build first`);

const NOW = '2026-11-25T12:00:00Z';
const WINDOW = 'from=2026-10-01&to=2026-11-24';
const PRODUCTION = ['global-us', 'eu', 'usgov', 'china', 'germany'];
const OWNER = { email: 'owner@soak.local', password: 'a soak test password, not for production' };
const DASHBOARD = [
  `/api/costs/summary?${WINDOW}`,
  `/api/costs/breakdown?groupBy=service,region&${WINDOW}`,
  `/api/costs/timeseries?granularity=day&${WINDOW}`,
  `/api/costs/top?dimension=customer&limit=10&${WINDOW}`,
  `/api/costs/breakdown?groupBy=resourceGroup&from=2026-11-01&to=2026-11-24`,
  `/api/costs/month-over-month?month=2026-10&groupBy=service`,
  '/api/costs/forecast',
  `/api/costs/line-items?limit=100&from=2026-11-01&to=2026-11-24`,
  '/api/accounts',
  '/api/alerts',
];
const children = [];
const log = (m) => console.error(m);
const dir = values.dir ? path.resolve(values.dir) : mkdtempSync(path.join(os.tmpdir(), 'meridian-soak-'));

function start(args, env, ipc = false) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  child.output = '';
  child.stdout.on('data', (d) => (child.output += d));
  child.stderr.on('data', (d) => (child.output += d));
  children.push(child);
  return child;
}
const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
async function waitFor(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited: ${child.output.slice(-2000)}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
function loop(api, what) {
  if (what === 'reset') return api.send({ loopMonitor: 'reset' });
  return new Promise((resolve) => {
    api.once('message', (m) => resolve(m.loopMonitor));
    api.send({ loopMonitor: 'report' });
  });
}

let exitCode = 0;
try {
  const simPort = await freePort();
  const sim = `http://127.0.0.1:${simPort}`;
  const simProcess = start([path.join(root, 'apps/pc-sim/dist/main.js')], {
    SIM_PORT: String(simPort),
    SIM_HOST: '127.0.0.1',
    SIM_NOW: NOW,
    SIM_GRAPH_DELAY_SECONDS: '2',
  });
  await waitFor(`${sim}/_sim/clock`, simProcess);
  const accounts = (await (await fetch(`${sim}/_sim/accounts`)).json()).items.map((a) => a.id);
  // Faults on every account: 429s, 5xx, timeouts, truncated pages, expired tokens, malformed records…
  for (const id of accounts) {
    const r = await fetch(`${sim}/_sim/faults/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rate: FAULT_RATE }),
    });
    if (!r.ok) throw new Error(`faults of ${id}: HTTP ${r.status} ${await r.text()}`);
  }

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api = start(
    ['--import', path.join(root, 'bench/query/loop-monitor.mjs'), path.join(root, 'apps/api/dist/main.js')],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      MERIDIAN_DATA_DIR: path.join(dir, 'data'),
      MERIDIAN_DEMO_SIM_URL: sim,
      MERIDIAN_DEMO_SYNC_MINUTES: '1',
      MERIDIAN_SCHEDULER_TICK_SECONDS: '10',
      MERIDIAN_RETRY_FAILED_SYNC_MINUTES: '1',
      MERIDIAN_PC_RETRY_BASE_MS: '50',
      MERIDIAN_GRAPH_POLL_MS: '1000',
      MERIDIAN_NOW: NOW,
      MERIDIAN_OWNER_EMAIL: OWNER.email,
      MERIDIAN_OWNER_PASSWORD: OWNER.password,
      DATABASE_URL: '',
      REDIS_URL: '',
    },
    true,
  );
  await waitFor(`${base}/api/health`, api);
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  if (!login.ok) throw new Error(`login: HTTP ${login.status}`);
  const headers = { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0], 'x-csrf-token': (await login.json()).csrfToken };
  const get = async (p) => {
    const r = await fetch(`${base}${p}`, { headers });
    return { status: r.status, body: await r.json() };
  };

  log('waiting for the first full sync of the demo accounts…');
  const synced = Date.now() + 15 * 60_000;
  for (;;) {
    const { body } = await get('/api/accounts');
    if (body.items.length === accounts.length && body.items.every((a) => a.streams.every((s) => s.lastSuccessAt))) break;
    if (Date.now() > synced) throw new Error('the demo accounts did not sync within 15 minutes');
    await new Promise((r) => setTimeout(r, 2000));
  }

  log(`soak: ${MINUTES} min, ${CLIENTS} clients, syncs every minute with faults at rate ${FAULT_RATE}`);
  loop(api, 'reset');
  const load = start(
    [
      path.join(root, 'bench/soak/load.mjs'),
      JSON.stringify({ url: base, paths: DASHBOARD, headers, connections: CLIENTS, minutes: MINUTES }),
    ],
    {},
  );
  const minutes = [];
  let evalErrors = 0;
  const evaluations = setInterval(async () => {
    try {
      const r = await fetch(`${base}/api/alerts/evaluate`, { method: 'POST', headers });
      if (!r.ok) evalErrors += 1;
    } catch {
      evalErrors += 1;
    }
  }, 60_000);
  let pending = '';
  await new Promise((resolve, reject) => {
    load.stdout.on('data', async (d) => {
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const m = JSON.parse(line);
        const lag = await loop(api, 'report');
        loop(api, 'reset');
        const runs = (await get('/api/accounts')).body.items.map((a) => a.lastSync?.status);
        const row = {
          ...m,
          rssMb: rssMb(api.pid),
          lagMaxMs: lag.blockMaxMs,
          evalErrors,
          syncsFailed: runs.filter((s) => s === 'failed').length,
        };
        evalErrors = 0;
        minutes.push(row);
        console.log(
          `minute=${row.minute} rss_mb=${row.rssMb.toFixed(0)} loop_lag_max_ms=${row.lagMaxMs.toFixed(0)} p95_ms=${Math.round(row.p95Ms)} max_ms=${Math.round(row.maxMs)} requests=${row.requests} errors=${row.errors + row.non2xx + row.evalErrors} sync_failed_now=${row.syncsFailed}`,
        );
      }
    });
    load.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`load generator exited ${code}: ${load.output.slice(-1000)}`))));
    api.on('exit', (code) => reject(new Error(`the api exited (${code}): ${api.output.slice(-2000)}`)));
  });
  clearInterval(evaluations);

  let exact = true;
  for (const id of PRODUCTION) {
    const truth = await (await fetch(`${sim}/_sim/ground-truth?account=${id}&${WINDOW}&groupBy=service,region`)).json();
    const { body } = await get(`/api/costs/breakdown?groupBy=service,region&${WINDOW}&accountIds=${id}`);
    const norm = (a) => (a.includes('.') ? a.replace(/0+$/, '').replace(/\.$/, '') : a);
    const cells = (rows) =>
      JSON.stringify(
        Object.fromEntries(rows.map((r) => [`${r.keys.service}|${r.keys.region}`, norm(r.amount)]).sort(([a], [b]) => (a < b ? -1 : 1))),
      );
    const same = cells(body.rows) === cells(truth.rows);
    if (!same) {
      exact = false;
      log(`${id}: totals differ from the ground truth (${body.totals?.[0]?.amount} vs ${truth.total})`);
    }
  }
  const first = minutes[0];
  const second = minutes[1] ?? minutes[0];
  const last = minutes.at(-1);
  const errors = minutes.reduce((n, m) => n + m.errors + m.non2xx + m.evalErrors, 0);
  console.log(
    `soak minutes=${MINUTES} rss_start_mb=${first.rssMb.toFixed(0)} rss_end_mb=${last.rssMb.toFixed(0)} rss_max_mb=${Math.max(...minutes.map((m) => m.rssMb)).toFixed(0)} ` +
      `p95_ms_first=${Math.round(first.p95Ms)} p95_ms_last=${Math.round(last.p95Ms)} errors=${errors} totals_exact=${exact} rss_second_mb=${second.rssMb.toFixed(0)} p95_ms_second=${Math.round(second.p95Ms)}`,
  );
  if (errors > 0 || !exact) exitCode = 1;
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  if (!values.dir) rmSync(dir, { recursive: true, force: true });
  process.exit(exitCode);
}
