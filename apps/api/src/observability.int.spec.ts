import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { INestApplication } from '@nestjs/common';
import { startSimulator } from '@meridian/pc-sim';
import { createTestStore, Store, TestStore } from '@meridian/store';
import { BullMqSyncQueue, connectSimulatorAccounts } from '@meridian/sync';
import { apiConfigFromEnv } from './api.config';
import { createApiApp } from './bootstrap';
import { ApiSession } from './testing/api-session';

const REDIS_URL = process.env.REDIS_TEST_URL || 'redis://127.0.0.1:6379';
const NOW = new Date('2026-11-25T12:00:00Z');
const PASSWORD = 'a long enough password 1';
const METRICS_TOKEN = `metrics-${randomBytes(12).toString('hex')}`;
const WORKER_MAIN = path.join(__dirname, '..', '..', 'worker', 'dist', 'main.js');
/** The account whose Partner Center answers 429 to a third of its requests. */
const THROTTLED = 'china';
const SYNCED_TOO = 'eu';

type LogLine = Record<string, unknown> & { level: string; name: string; msg: string };

/** JSON lines written to a stream, parsed; a line that is not JSON fails the test that reads it. */
class JsonLines extends Writable {
  readonly raw: string[] = [];
  private partial = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    this.raw.push(...lines.filter((l) => l.trim() !== ''));
    done();
  }
  parsed(): LogLine[] {
    return this.raw.map((l) => JSON.parse(l) as LogLine);
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** GET from a chosen local address (127.0.0.2 is a loopback-range address but not the loopback client). */
function getFrom(localAddress: string, url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
}

/** Value of one Prometheus sample (labels in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...m[2].matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/** Sum of the samples of `name` whose labels include `labels`. */
function total(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

/**
 * Scaled mode on the real services: the api and a worker process on PostgreSQL and Redis, syncing
 * the simulator's accounts (one of them throttled). Health (live/ready with what failed), metrics of
 * both processes (names, labels, 429s counted; loopback or token), and JSON log lines with their ids.
 */
describe('observability: health, metrics and logs of the api and a worker', () => {
  const savedEnv = { ...process.env };
  const apiLog = new JsonLines();
  const workerOut: string[] = [];
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let test: TestStore;
  let app: INestApplication;
  let store: Store;
  let base: string;
  let worker: ChildProcess | undefined;
  let workerPort: number;
  let prefix: string;
  let accounts: { id: string; name: string; secret: string }[];

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: NOW, graphDelaySeconds: 0 });
    accounts = ((await (await fetch(`${sim.url}/_sim/accounts`)).json()) as { items: typeof accounts }).items;
    const faults = await fetch(`${sim.url}/_sim/faults/${THROTTLED}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rate: 0.3, kinds: ['429'], retryAfterSeconds: 0 }),
    });
    expect(faults.status).toBe(200);
    test = await createTestStore('postgres');
    if (test.config.type !== 'postgres') throw new Error('unreachable');
    prefix = `meridian-obs-${randomBytes(4).toString('hex')}`;
    for (const k of ['MERIDIAN_DATA_DIR', 'MERIDIAN_DEMO_SIM_URL', 'MERIDIAN_METRICS_TOKEN']) delete process.env[k];
    Object.assign(process.env, {
      DATABASE_URL: test.config.url,
      DATABASE_SCHEMA: test.config.schema,
      REDIS_URL,
      MERIDIAN_QUEUE_PREFIX: prefix,
      MERIDIAN_SECRET_KEY: randomBytes(32).toString('base64'),
      MERIDIAN_EMBEDDED_WORKER: 'false',
      MERIDIAN_OWNER_EMAIL: 'owner@example.test',
      MERIDIAN_OWNER_PASSWORD: PASSWORD,
      MERIDIAN_NOW: NOW.toISOString(),
    });
    app = await createApiApp({ ...apiConfigFromEnv(), port: 0, host: '127.0.0.1', webDist: path.join(__dirname, 'no-web'), logDestination: apiLog });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    store = app.get(Store);
    // Two accounts keep the sync short: the throttled one (v1 pages) and a global one (Graph export).
    await connectSimulatorAccounts(store, sim.url);
    await store.dataSource.query(`UPDATE account SET enabled = false WHERE id NOT IN ('${THROTTLED}', '${SYNCED_TOO}')`);
    accounts = accounts.filter((a) => a.id === THROTTLED || a.id === SYNCED_TOO);
    workerPort = await freePort();
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker!.once('exit', r));
    }
    await app?.close();
    const queue = new BullMqSyncQueue({ redisUrl: REDIS_URL, prefix });
    await queue.obliterate().catch(() => undefined);
    await queue.close();
    await test?.drop();
    await sim?.close();
    process.env = savedEnv;
  }, 60_000);

  it('is live but not ready while no worker beats, and the 503 says which check failed', async () => {
    const live = await fetch(`${base}/api/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    const ready = await fetch(`${base}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not ready',
      checks: {
        database: { ok: true, type: 'postgres' },
        migrations: { ok: true, applied: expect.any(Number) },
        redis: { ok: true },
        worker: { ok: false, error: 'no worker heartbeat' },
      },
    });
  });

  it('becomes ready once a worker process beats; the worker is ready on its own port', async () => {
    worker = spawn(process.execPath, [WORKER_MAIN], {
      env: {
        ...process.env,
        MERIDIAN_WORKER_METRICS_PORT: String(workerPort),
        MERIDIAN_METRICS_TOKEN: METRICS_TOKEN,
        MERIDIAN_SCHEDULER_TICK_SECONDS: '1',
        MERIDIAN_PC_RETRY_BASE_MS: '10',
        MERIDIAN_PC_MAX_RETRIES: '10',
        MERIDIAN_WORKER_HEARTBEAT_SECONDS: '1',
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    worker.stdout!.on('data', (c: Buffer) => workerOut.push(c.toString('utf8')));
    const ready = await until(
      'api ready',
      async () => {
        const res = await fetch(`${base}/api/health/ready`);
        return { status: res.status, body: (await res.json()) as { checks: { worker: { ok: boolean; ageSeconds?: number } } } };
      },
      (r) => r.status === 200,
      30_000,
    );
    expect(ready.body.checks.worker).toMatchObject({ ok: true, ageSeconds: expect.any(Number) });
    // The worker's port opens as its application finishes starting, beside its first heartbeat.
    await until('worker ready', () => fetch(`http://127.0.0.1:${workerPort}/health/ready`).then((r) => r.status, () => 0), (s) => s === 200, 15_000);
    expect((await fetch(`http://127.0.0.1:${workerPort}/health/live`)).status).toBe(200);
  }, 60_000);

  it('counts the sync by account and stream, and each 429, on the worker’s /metrics (bearer token required)', async () => {
    const ids = accounts.map((a) => a.id);
    await until(
      'usage synced on every account',
      async () => {
        const states = await store.syncRuns.streamStates(ids);
        return ids.map((id) => states.get(id)?.get('unbilled-usage')?.lastStatus ?? null);
      },
      (s) => s.every((x) => x === 'succeeded'),
      150_000,
    );
    const url = `http://127.0.0.1:${workerPort}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const runs: { account_id: string; rows: number }[] = await store.dataSource.query(
      `SELECT account_id, SUM("rows")::int AS "rows" FROM sync_run WHERE stream = 'unbilled-usage' AND status IN ('succeeded', 'failed') GROUP BY account_id`,
    );
    expect(runs.length).toBe(ids.length);
    for (const id of ids) {
      expect({ id, runs: sample(text, 'meridian_sync_runs_total', { account_id: id, stream: 'unbilled-usage', status: 'succeeded' }) }).toEqual({ id, runs: expect.any(Number) });
      expect(total(text, 'meridian_sync_rows_total', { account_id: id, stream: 'unbilled-usage' })).toBeGreaterThan(0);
      expect(sample(text, 'meridian_sync_quarantined_records_total', { account_id: id, stream: 'unbilled-usage' })).toEqual(expect.any(Number));
      expect(total(text, 'meridian_sync_run_duration_seconds_count', { account_id: id, stream: 'unbilled-usage' })).toBeGreaterThan(0);
      expect(total(text, 'meridian_partner_center_requests_total', { account_id: id, status: '200' })).toBeGreaterThan(0);
    }
    // The counters agree with the sync_run records the worker wrote.
    for (const r of runs) {
      expect({ id: r.account_id, rows: total(text, 'meridian_sync_rows_total', { account_id: r.account_id, stream: 'unbilled-usage' }) }).toEqual({ id: r.account_id, rows: r.rows });
    }
    // Throttling: the simulator's own count of the 429s it sent equals what the worker counted.
    const injected = ((await (await fetch(`${sim.url}/_sim/faults/${THROTTLED}/log`)).json()) as { injected: Record<string, number> }).injected['429'] ?? 0;
    expect(injected).toBeGreaterThan(0);
    expect(total(text, 'meridian_partner_center_requests_total', { account_id: THROTTLED, status: '429' })).toBe(injected);
    // Path templates: the simulator serves each account under /pc/<account id>/.
    expect(sample(text, 'meridian_partner_center_requests_total', { account_id: THROTTLED, api: 'partner-center', operation: `/pc/${THROTTLED}/v1/customers`, status: '200' })).toBeGreaterThan(0);
    expect(sample(text, 'meridian_partner_center_requests_total', { account_id: THROTTLED, api: 'partner-center', operation: `/pc/${THROTTLED}/v1/customers/:id/subscriptions`, status: '200' })).toBeGreaterThan(0);
    expect(total(text, 'meridian_partner_center_requests_total', { account_id: SYNCED_TOO, api: 'graph', status: '202' })).toBeGreaterThan(0);
    expect(total(text, 'meridian_queue_wait_seconds_count', { stream: 'unbilled-usage' })).toBeGreaterThanOrEqual(ids.length);
    expect(text).toMatch(/^meridian_queue_jobs\{state="waiting"\} \d+$/m);
    // Node's defaults: event-loop lag and heap.
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \S+$/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \S+$/m);
    // Ids only: no account or customer name, no GUID (customer tenants), no secret in any label.
    for (const a of accounts) for (const leak of [a.name, a.secret]) expect(text.includes(leak)).toBe(false);
    const customerNames: { name: string }[] = await store.dataSource.query('SELECT DISTINCT company_name AS name FROM customer LIMIT 50');
    expect(customerNames.length).toBeGreaterThan(0);
    for (const c of customerNames) expect(text.includes(`"${c.name}"`)).toBe(false);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect([...text.matchAll(/^(\w+)/gm)].map((m) => m[1]).filter((n) => !/^(meridian_|nodejs_|process_)/.test(n))).toEqual([]);
  }, 200_000);

  it('serves the api’s /metrics on loopback only: request durations by route template, queue and freshness', async () => {
    const owner = await ApiSession.login(base, 'owner@example.test', PASSWORD);
    await owner.get(`/api/accounts/${accounts[0].id}/sync-runs`);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(sample(text, 'meridian_http_request_duration_seconds_count', { method: 'GET', route: '/api/health/ready', status: '503' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'meridian_http_request_duration_seconds_count', { method: 'GET', route: '/api/health/ready', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'meridian_http_request_duration_seconds_count', { method: 'GET', route: '/api/accounts/:id/sync-runs', status: '200' })).toBe(1);
    expect(text).not.toContain(`route="/api/accounts/${accounts[0].id}`);
    expect(text).toMatch(/^meridian_queue_jobs\{state="active"\} \d+$/m);
    for (const a of accounts) {
      const age = sample(text, 'meridian_usage_sync_age_seconds', { account_id: a.id });
      expect({ id: a.id, fresh: age !== undefined && age >= 0 && age < 600 }).toEqual({ id: a.id, fresh: true });
    }
    // Another address than the loopback client's (127.0.0.2, still on this machine): refused.
    const remote = await getFrom('127.0.0.2', `${base}/metrics`);
    expect(remote.status).toBe(403);
    expect(remote.text).toContain('MERIDIAN_METRICS_TOKEN');
    expect((await getFrom('127.0.0.1', `${base}/metrics`)).status).toBe(200);
  });

  it('writes JSON lines: request id, user and account on request lines; account, stream and sync run on sync lines; no secret', async () => {
    const owner = await ApiSession.login(base, 'owner@example.test', PASSWORD);
    const missing = await owner.request('GET', '/api/accounts/no-such-account/sync-runs', undefined, { 'x-request-id': 'obs-test-request-0001' });
    expect(missing.status).toBe(404);
    const echoed = await fetch(`${base}/api/health/live`, { headers: { 'x-request-id': 'obs-test-request-0002' } });
    expect(echoed.headers.get('x-request-id')).toBe('obs-test-request-0002');
    expect((await fetch(`${base}/api/health/live`)).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setTimeout(r, 100));

    const api = apiLog.parsed();
    expect(api.length).toBeGreaterThan(0);
    for (const line of api) expect(line).toMatchObject({ level: expect.any(String), name: 'api', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const notFound = api.find((l) => l.reqId === 'obs-test-request-0001');
    expect(notFound).toMatchObject({ level: 'info', req: { method: 'GET', path: '/api/accounts/no-such-account/sync-runs' }, res: { statusCode: 404 }, accountId: 'no-such-account', userId: expect.any(String) });
    // Successful requests log at debug: nothing per request at the default level.
    expect(api.some((l) => (l.req as { path?: string } | undefined)?.path === '/api/health/live')).toBe(false);

    const workerLines = workerOut.join('').split('\n').filter((l) => l.trim() !== '');
    const parsed = workerLines.map((l) => JSON.parse(l) as LogLine);
    for (const line of parsed) expect(line).toMatchObject({ name: 'worker', level: expect.any(String) });
    const succeeded = parsed.find((l) => l.accountId === accounts[0].id && /unbilled-usage succeeded/.test(l.msg));
    expect(succeeded).toMatchObject({ level: 'info', stream: 'unbilled-usage', syncRunId: expect.any(String), context: 'SyncProcessor' });
    // The throttled account's retries, with its ids, as structured fields (debug and warn lines).
    const retry = parsed.find((l) => l.accountId === THROTTLED && l.level === 'warn' && l.status === 429);
    expect(retry).toMatchObject({ stream: expect.any(String), syncRunId: expect.any(String), msg: expect.stringContaining('retrying') });

    const all = [...apiLog.raw, ...workerLines].join('\n');
    for (const a of accounts) expect(all.includes(a.secret)).toBe(false);
    expect(all.includes(PASSWORD)).toBe(false);
    expect(all.includes(METRICS_TOKEN)).toBe(false);
    expect(all).not.toMatch(/Bearer\s+[A-Za-z0-9._-]{20,}/);
    expect(all).not.toMatch(/mrd_[A-Za-z0-9_-]{20,}/);
  });
});
