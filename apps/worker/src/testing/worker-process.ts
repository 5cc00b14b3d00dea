import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { startSimulator } from '@meridian/pc-sim';
import { createTestStore, SecretBox, Store, TestStore } from '@meridian/store';
import { BullMqSyncQueue, SimulatorAccount, SyncJob } from '@meridian/sync';
import { SIM_NOW } from './ground-truth';
import { REDIS_URL, workerEnv } from './worker-harness';

/** The built worker (nx builds it before the worker's tests). */
export const WORKER_MAIN = path.join(__dirname, '..', '..', 'dist', 'main.js');

/** A worker process, as in production, with this environment (a test may SIGKILL it). */
export function startWorkerProcess(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [WORKER_MAIN], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Starts a worker process and enqueues one job on its queue (the test's MERIDIAN_QUEUE_PREFIX); the
 * worker picks it up as soon as it is ready.
 */
export async function startWorkerWithJob(env: NodeJS.ProcessEnv, job: SyncJob): Promise<ChildProcess> {
  const worker = startWorkerProcess(env);
  const queue = new BullMqSyncQueue({ redisUrl: env.REDIS_URL ?? REDIS_URL, prefix: env.MERIDIAN_QUEUE_PREFIX });
  try {
    if (!(await queue.enqueue(job)).added) throw new Error(`job ${job.accountId}/${job.stream} was already queued`);
  } finally {
    await queue.close();
  }
  return worker;
}

/** Reads until `done` holds, or fails naming what it waited for and the last value read. */
export async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, pollMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** What a test with worker processes set up; any of it may be missing if its beforeAll failed early. */
export interface WorkerProcessTestResources {
  workers: readonly ChildProcess[];
  /** The workers' environment: its MERIDIAN_QUEUE_PREFIX names the test's BullMQ queue. */
  env?: NodeJS.ProcessEnv;
  store?: Store;
  test?: TestStore;
  sim?: { close(): Promise<void> };
}

/**
 * The afterAll of a test with worker processes: kills the ones still running (a test may have left
 * one mid-job), empties the test's queue on Redis so no job outlives it, closes the store, drops the
 * test database and stops the simulator.
 */
export async function tearDownWorkerProcessTest(r: WorkerProcessTestResources): Promise<void> {
  for (const w of r.workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  const queue = new BullMqSyncQueue({ redisUrl: r.env?.REDIS_URL ?? REDIS_URL, prefix: r.env?.MERIDIAN_QUEUE_PREFIX });
  await queue.obliterate().catch(() => undefined);
  await queue.close();
  await r.store?.close();
  await r.test?.drop();
  await r.sim?.close();
}

/** What setUpWorkerProcessTest prepared: a worker-process test's simulator, store and one account. */
export interface WorkerProcessWorld {
  sim: Awaited<ReturnType<typeof startSimulator>>;
  test: TestStore;
  store: Store;
  env: NodeJS.ProcessEnv;
  account: SimulatorAccount;
}

/**
 * The beforeAll of a test with worker processes: the built worker must exist; a simulator (frozen at
 * SIM_NOW), a test database, the workers' environment (with `extra`), the store, and the simulator's
 * account `accountId` connected **disabled**, so the scheduler leaves it alone and only the test's own
 * jobs touch it. What was started is stopped again if a later step fails.
 */
export async function setUpWorkerProcessTest(options: {
  kind: 'postgres' | 'sqlite';
  seed: number;
  accountId: string;
  extra: Record<string, string>;
}): Promise<WorkerProcessWorld> {
  if (!existsSync(WORKER_MAIN))
    throw new Error(`${WORKER_MAIN} is missing: build the worker first (npx nx build @meridian/worker; nx runs it before this test)`);
  const sim = await startSimulator({ port: 0, seed: options.seed, now: SIM_NOW });
  let test: TestStore | undefined;
  let store: Store | undefined;
  try {
    test = await createTestStore(options.kind);
    const env = workerEnv(test.config, REDIS_URL, options.extra);
    store = await Store.open(test.config, SecretBox.fromEnv('', env));
    const { items } = (await (await fetch(`${sim.url}/_sim/accounts`)).json()) as { items: SimulatorAccount[] };
    const account = items.find((a) => a.id === options.accountId);
    if (!account) throw new Error(`the simulator has no account ${options.accountId}`);
    await store.accounts.upsertConnection(
      {
        id: account.id,
        name: account.name,
        cloud: account.cloud,
        tenantId: account.tenantId,
        appId: account.appId,
        secret: account.secret,
        apiBaseUrl: account.baseUrl,
        tokenUrl: account.tokenUrl,
        tokenResource: account.resource,
        currency: account.currency,
        sandbox: false,
        enabled: false,
      },
      { userId: null, via: 'test' },
    );
    return { sim, test, store, env, account };
  } catch (e) {
    await store?.close();
    await test?.drop();
    await sim.close();
    throw e;
  }
}
