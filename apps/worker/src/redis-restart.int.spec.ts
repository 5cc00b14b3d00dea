import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { normalizeDecimal } from '@meridian/finops';
import { enqueueAccountSync, SYNC_QUEUE, SyncQueue } from '@meridian/sync';
import { Redis } from 'ioredis';
import { groundTruth } from './testing/ground-truth';
import { allSucceeded, monthCells, startWorkerHarness, waitForStreams, WorkerHarness } from './testing/worker-harness';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** A private Redis for this test (restarting the shared one would disturb other suites). */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  for (let i = 0; i < 50; i++) {
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return proc;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  proc.kill('SIGKILL');
  throw new Error(`redis-server did not start on ${port} (is redis-server installed?)`);
}

/**
 * Redis dies in the middle of a sync and comes back empty: the running syncs finish (their work is
 * in the store, not in Redis), the worker reconnects, and new jobs run; totals stay exact.
 */
describe('worker survives a Redis restart mid-run', () => {
  let redis: ChildProcess;
  let port: number;
  let dir: string;
  let h: WorkerHarness;

  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(path.join(tmpdir(), 'meridian-redis-'));
    redis = await startRedis(port, dir);
    h = await startWorkerHarness('sqlite', {
      seed: 5,
      redisUrl: `redis://127.0.0.1:${port}`,
      env: { MERIDIAN_PC_USAGE_PAGE_SIZE: '250' },
      beforeWorker: async (simUrl) => {
        // Slow pages: each sync takes seconds, so Redis goes away while syncs run.
        for (const id of ['global-us', 'eu', 'usgov', 'china', 'germany', 'global-sandbox']) {
          await fetch(`${simUrl}/_sim/faults/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rate: 1, kinds: ['slow'], slowMs: 60 }) });
        }
      },
    });
  }, 60_000);

  afterAll(async () => {
    await h?.close().catch(() => undefined);
    redis?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the syncs, reconnects and runs new jobs, with exact totals', async () => {
    const ids = h.accounts.map((a) => a.id);
    // Wait until usage syncs are under way, then kill Redis and start an empty one on the same port.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const states = await h.store.syncRuns.streamStates(ids);
      if (ids.some((id) => states.get(id)?.get('unbilled-usage')?.lastStatus === 'running')) break;
      if (Date.now() > deadline) throw new Error('no usage sync started');
      await new Promise((r) => setTimeout(r, 50));
    }
    redis.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    redis = await startRedis(port, dir);

    expect(await waitForStreams(h.store, ids, (s) => s === 'succeeded' || s === 'failed', 120_000)).toEqual(allSucceeded(ids));

    // The queue works again: a manual sync after the restart runs to completion.
    const before = new Date().toISOString();
    await enqueueAccountSync(h.app.get<SyncQueue>(SYNC_QUEUE), 'eu', 'manual');
    const until = Date.now() + 60_000;
    for (;;) {
      const usage = (await h.store.syncRuns.streamStates(['eu'])).get('eu')?.get('unbilled-usage');
      if ((usage?.lastSuccessAt ?? '') > before) break;
      if (Date.now() > until) throw new Error('manual sync after the Redis restart did not complete');
      await new Promise((r) => setTimeout(r, 250));
    }

    for (const a of h.accounts) {
      const m = { from: '2026-10-01', to: '2026-10-31' };
      const truth = await groundTruth(h.sim.url, a.id, m);
      const expected = Object.fromEntries(truth.rows.map((r) => [`${r.keys.service}|${r.keys.region}`, normalizeDecimal(r.amount)]));
      expect({ account: a.id, cells: await monthCells(h.store, a.id, m.from, m.to) }).toEqual({ account: a.id, cells: expected });
    }
  }, 240_000);
});
