import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

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
