import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startSimulator } from '@meridian/pc-sim';
import { AccessScope, createTestStore, SecretBox, Store, TestStore } from '@meridian/store';
import { BullMqSyncQueue, SimulatorAccount } from '@meridian/sync';
import { expectedServiceRegion, groundTruth, SIM_NOW, storedBySource, storedServiceRegion, truthBySource } from './testing/ground-truth';
import { REDIS_URL, workerEnv } from './testing/worker-harness';
import { startWorkerProcess as startWorker, tearDownWorkerProcessTest, until, WORKER_MAIN as MAIN } from './testing/worker-process';

/**
 * Issue 14: a worker is killed with SIGKILL in the middle of a Graph export blob; the next worker
 * takes the stalled job over, resumes the same export from its checkpoint (it does not read the
 * lines already stored again) and ends with the ground truth exactly, no duplicate row.
 */
describe('kill -9 in the middle of a Graph export blob (sqlite, BullMQ)', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let test: TestStore;
  let store: Store;
  let env: NodeJS.ProcessEnv;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the worker first (nx runs the build before this test)`);
    sim = await startSimulator({ port: 0, seed: 13, now: SIM_NOW, profile: 'scale', scaleItemsPerDay: 1500, retireV1: true, graphDelaySeconds: 1 });
    const put = await fetch(`${sim.url}/_sim/graph/scale`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ linesPerBlob: 20_000 }) });
    if (!put.ok) throw new Error(await put.text());
    test = await createTestStore('sqlite');
    env = workerEnv(test.config, REDIS_URL, { MERIDIAN_JOB_LOCK_SECONDS: '3', MERIDIAN_SCHEDULER_TICK_SECONDS: '3600', MERIDIAN_GRAPH_POLL_MS: '100' });
    store = await Store.open(test.config, SecretBox.fromEnv('', env));
    const account = ((await (await fetch(`${sim.url}/_sim/accounts`)).json()) as { items: SimulatorAccount[] }).items.find((a) => a.id === 'scale')!;
    await store.accounts.upsertConnection(
      {
        id: account.id, name: account.name, cloud: account.cloud, tenantId: account.tenantId, appId: account.appId, secret: account.secret,
        apiBaseUrl: account.baseUrl, tokenUrl: account.tokenUrl, tokenResource: account.resource, graphBaseUrl: account.graphBaseUrl, graphTokenUrl: account.graphTokenUrl,
        currency: account.currency, sandbox: false, enabled: false,
      },
      { userId: null, via: 'test' },
    );
  }, 60_000);

  afterAll(() => tearDownWorkerProcessTest({ workers, env, store, test, sim }));

  it('resumes the export from its checkpoint and ends exact, without duplicates', async () => {
    const first = startWorker(env);
    workers.push(first);
    const queue = new BullMqSyncQueue({ redisUrl: REDIS_URL, prefix: env.MERIDIAN_QUEUE_PREFIX });
    try {
      expect((await queue.enqueue({ accountId: 'scale', stream: 'unbilled-usage', reason: 'manual' })).added).toBe(true);
    } finally {
      await queue.close();
    }
    // Kill once a batch of a blob is stored and the blob is not finished.
    const checkpoint = await until(
      'a checkpoint in the middle of a blob',
      async () => (await store.dataSource.query("SELECT blob_index AS b, line_in_blob AS l, operation_url AS op FROM graph_export_checkpoint WHERE account_id = 'scale'")) as { b: number; l: number; op: string }[],
      (rows) => rows.some((r) => r.l > 0),
      90_000,
      // Poll often: the kill must land before the blob's remaining batches are read.
      20,
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const runs = () => store.syncRuns.listForAccount(AccessScope.all(), 'scale');
    const killedRun = (await runs())[0];
    expect(killedRun.status).toBe('running');

    const second = startWorker(env);
    workers.push(second);
    const finished = await until('the resumed sync to finish', runs, (r) => r[0]?.id !== killedRun.id && (r[0]?.status === 'succeeded' || r[0]?.status === 'failed'), 120_000);
    second.kill('SIGTERM');
    expect(finished[0]).toMatchObject({ status: 'succeeded', stream: 'unbilled-usage', readPath: 'graph' });

    const truth = await groundTruth(sim.url, 'scale');
    const bySource = await truthBySource(sim.url, 'scale');
    expect(await storedBySource(store, 'scale')).toEqual(bySource);
    expect((await storedServiceRegion(store, 'scale')).cells).toEqual(expectedServiceRegion(truth));
    // It resumed: the lines stored before the kill were not read again.
    expect(checkpoint[0].l).toBeGreaterThan(0);
    expect(finished[0].rows + killedRun.rows).toBeLessThanOrEqual(truth.lineItems + 2000);
    expect(finished[0].rows).toBeLessThan(truth.lineItems);
    expect(await store.dataSource.query("SELECT * FROM graph_export_checkpoint WHERE account_id = 'scale'")).toEqual([]);
  }, 240_000);
});
