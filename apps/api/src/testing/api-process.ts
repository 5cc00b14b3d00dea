import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

/** The api as it ships (nx builds it before the api's tests). */
export const API_MAIN = path.join(__dirname, '..', '..', 'dist', 'main.js');

export interface ApiProcess {
  child: ChildProcess;
  base: string;
  /** What the process wrote to stderr and stdout so far (for failure messages). */
  output(): string;
}

/**
 * Starts the built api in the embedded mode on a free port with this environment (on top of a
 * clean one: no DATABASE_URL, REDIS_URL or demo simulator unless given) and waits for /api/health.
 */
export async function startApiProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ApiProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const full: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'MERIDIAN_DEMO_SIM_URL', 'MERIDIAN_SECRET_KEY', 'MERIDIAN_DATA_DIR']) delete full[k];
  Object.assign(full, { PORT: String(port), HOST: '127.0.0.1' }, env);
  const child = spawn(process.execPath, [API_MAIN], { env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const api = { child, base, output: () => text };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the api exited with ${child.exitCode}: ${text.slice(-2000)}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return api;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the api did not answer on ${base} within ${timeoutMs} ms: ${text.slice(-2000)}`);
}

/** Sends a signal and waits for the exit (SIGKILL after `graceMs`). */
export async function stopApiProcess(
  api: ApiProcess | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (!api) return { code: null, signal: null };
  const { child } = api;
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, sig) => resolve({ code, signal: sig })),
  );
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
