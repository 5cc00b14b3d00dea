import { randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startSimulator } from '@meridian/pc-sim';
import { Store, createTestStore, TestStore } from '@meridian/store';
import { BullMqSyncQueue, SYNC_QUEUE, SYNC_STREAMS, SyncQueue, connectSimulatorAccounts, SimulatorAccount } from '@meridian/sync';
import { Redis } from 'ioredis';
import { WorkerModule } from './worker.module';
import { SIM_NOW, expectedServiceRegion, groundTruth, storedServiceRegion } from './testing/ground-truth';

const REDIS_URL = process.env.REDIS_TEST_URL || 'redis://127.0.0.1:6379';

/**
 * The worker application exactly as it runs in the scaled mode: PostgreSQL store, BullMQ queue on
 * the real Redis, scheduler enqueueing every account, processor syncing them.
 */
describe('worker on BullMQ + Redis + PostgreSQL', () => {
  const prefix = `meridian-test-${randomBytes(4).toString('hex')}`;
  const savedEnv = { ...process.env };
  let sim: { url: string; close(): Promise<void> };
  let test: TestStore;
  let app: INestApplicationContext;
  let store: Store;
  let accounts: SimulatorAccount[];

  beforeAll(async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    await redis.connect().catch((err) => {
      throw new Error(`Redis for tests is not reachable at ${REDIS_URL}: ${err.message}`);
    });
    await redis.quit();
    sim = await startSimulator({ port: 0, seed: 7, now: SIM_NOW, graphDelaySeconds: 0 });
    test = await createTestStore('postgres');
    if (test.config.type !== 'postgres') throw new Error('unreachable');
    Object.assign(process.env, {
      DATABASE_URL: test.config.url,
      DATABASE_SCHEMA: test.config.schema,
      REDIS_URL,
      MERIDIAN_QUEUE_PREFIX: prefix,
      MERIDIAN_SECRET_KEY: randomBytes(32).toString('base64'),
      MERIDIAN_SCHEDULER_TICK_SECONDS: '1',
      MERIDIAN_WORKER_METRICS_PORT: '0',
    });
    // Accounts are connected before the worker starts, as an admin would have done.
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(), { logger: false, abortOnError: false });
    store = app.get(Store);
    accounts = await connectSimulatorAccounts(store, sim.url);
  });

  afterAll(async () => {
    const queue = app?.get<SyncQueue>(SYNC_QUEUE);
    if (queue instanceof BullMqSyncQueue) await queue.obliterate().catch(() => undefined);
    await app?.close();
    await test?.drop();
    await sim?.close();
    process.env = savedEnv;
  });

  it('syncs every account through Redis and matches the ground truth exactly', async () => {
    // 60 s was enough on a quiet machine; the fresh-clone CI (another project's tests on the other core) once ran out of it.
    const deadline = Date.now() + 180_000;
    const streamStatus = async () => {
      const states = await store.syncRuns.streamStates(accounts.map((a) => a.id));
      return Object.fromEntries(
        accounts.map((a) => [a.id, SYNC_STREAMS.map((s) => `${s}:${states.get(a.id)?.get(s)?.lastStatus ?? 'none'}`).join(' ')]),
      );
    };
    const allSucceeded = Object.fromEntries(accounts.map((a) => [a.id, SYNC_STREAMS.map((s) => `${s}:succeeded`).join(' ')]));
    let status = await streamStatus();
    while (Date.now() < deadline && JSON.stringify(status) !== JSON.stringify(allSucceeded)) {
      if (Object.values(status).some((s) => s.includes('failed'))) break;
      await new Promise((r) => setTimeout(r, 250));
      status = await streamStatus();
    }
    expect(status).toEqual(allSucceeded);
    for (const a of accounts) {
      const truth = await groundTruth(sim.url, a.id);
      expect((await storedServiceRegion(store, a.id)).cells).toEqual(expectedServiceRegion(truth));
    }
  }, 240_000);

  it('collapses duplicate enqueues of the same account into one job', async () => {
    const queue = app.get<SyncQueue>(SYNC_QUEUE);
    expect(queue).toBeInstanceOf(BullMqSyncQueue);
    const first = await queue.enqueue({ accountId: 'eu', stream: 'unbilled-usage', reason: 'manual' });
    const second = await queue.enqueue({ accountId: 'eu', stream: 'unbilled-usage', reason: 'manual' });
    expect(first).toEqual({ jobId: 'sync-eu-unbilled-usage', added: true });
    expect(second).toEqual({ jobId: 'sync-eu-unbilled-usage', added: false });
  });
});
