import { randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startSimulator } from '@meridian/pc-sim';
import { AccessScope, Store, StoreConfig, createTestStore, TestStore } from '@meridian/store';
import { BullMqSyncQueue, SYNC_QUEUE, SYNC_STREAMS, SyncQueue, connectSimulatorAccounts, SimulatorAccount } from '@meridian/sync';
import { WorkerModule } from '../worker.module';
import { SIM_NOW } from './ground-truth';

export const REDIS_URL = process.env.REDIS_TEST_URL || 'redis://127.0.0.1:6379';

/** Environment of a worker process pointed at a test store and a Redis (unique queue prefix). */
export function workerEnv(config: StoreConfig, redisUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: redisUrl,
    MERIDIAN_QUEUE_PREFIX: `meridian-test-${randomBytes(4).toString('hex')}`,
    MERIDIAN_SECRET_KEY: randomBytes(32).toString('base64'),
    MERIDIAN_SCHEDULER_TICK_SECONDS: '1',
    MERIDIAN_PC_TIMEOUT_MS: '2000',
    MERIDIAN_PC_RETRY_BASE_MS: '20',
    MERIDIAN_PC_MAX_RETRIES: '8',
    // Several workers run at once in tests: each takes any free port for its metrics.
    MERIDIAN_WORKER_METRICS_PORT: '0',
    ...extra,
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_SCHEMA;
  delete env.MERIDIAN_DATA_DIR;
  if (config.type === 'postgres') Object.assign(env, { DATABASE_URL: config.url, DATABASE_SCHEMA: config.schema });
  else env.MERIDIAN_DATA_DIR = config.database.replace(/\/meridian\.sqlite$/, '');
  return env;
}

export interface WorkerHarness {
  sim: Awaited<ReturnType<typeof startSimulator>>;
  test: TestStore;
  app: INestApplicationContext;
  /** The environment the worker runs with (same store, Redis and queue prefix for a second one). */
  env: NodeJS.ProcessEnv;
  store: Store;
  accounts: SimulatorAccount[];
  close(): Promise<void>;
}

/** Simulator + test store + the real worker application (scheduler, BullMQ, processor). */
export async function startWorkerHarness(
  kind: 'sqlite' | 'postgres',
  opts: { seed?: number; redisUrl?: string; beforeWorker?: (simUrl: string) => Promise<void>; env?: Record<string, string> } = {},
): Promise<WorkerHarness> {
  const sim = await startSimulator({ port: 0, seed: opts.seed ?? 7, now: SIM_NOW, graphDelaySeconds: 0 });
  await opts.beforeWorker?.(sim.url);
  const test = await createTestStore(kind);
  const env = workerEnv(test.config, opts.redisUrl ?? REDIS_URL, opts.env);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { logger: false, abortOnError: false });
  const store = app.get(Store);
  const accounts = await connectSimulatorAccounts(store, sim.url);
  return {
    sim,
    test,
    app,
    env,
    store,
    accounts,
    async close() {
      const queue = app.get<SyncQueue>(SYNC_QUEUE);
      if (queue instanceof BullMqSyncQueue) await queue.obliterate().catch(() => undefined);
      await app.close();
      await test.drop();
      await sim.close();
    },
  };
}

/** Waits until every stream of the given accounts has this status in its latest run. */
export async function waitForStreams(store: Store, accountIds: string[], predicate: (status: string) => boolean, timeoutMs = 120_000): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  let view: Record<string, string> = {};
  for (;;) {
    const states = await store.syncRuns.streamStates(accountIds);
    view = Object.fromEntries(accountIds.map((id) => [id, SYNC_STREAMS.map((s) => `${s}:${states.get(id)?.get(s)?.lastStatus ?? 'none'}`).join(' ')]));
    const statuses = accountIds.flatMap((id) => SYNC_STREAMS.map((s) => states.get(id)?.get(s)?.lastStatus ?? 'none'));
    if (statuses.every(predicate) || Date.now() > deadline) return view;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const allSucceeded = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, SYNC_STREAMS.map((s) => `${s}:succeeded`).join(' ')]));

/** The store's exact cells for one account and one month: "service|region" → amount. */
export async function monthCells(store: Store, accountId: string, from: string, to: string) {
  const { rows } = await store.costs.breakdown(AccessScope.accounts([accountId]), ['service', 'region'], { from, to, includeSandbox: true });
  return Object.fromEntries(rows.map((r) => [`${r.keys.service}|${r.keys.region}`, r.amount]));
}
