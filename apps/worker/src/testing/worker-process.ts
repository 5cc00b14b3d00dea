import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Store, TestStore } from '@meridian/store';
import { BullMqSyncQueue } from '@meridian/sync';
import { REDIS_URL } from './worker-harness';

/** The built worker (nx builds it before the worker's tests). */
export const WORKER_MAIN = path.join(__dirname, '..', '..', 'dist', 'main.js');

/** A worker process, as in production, with this environment (a test may SIGKILL it). */
export function startWorkerProcess(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [WORKER_MAIN], { env, stdio: ['ignore', 'ignore', 'inherit'] });
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
