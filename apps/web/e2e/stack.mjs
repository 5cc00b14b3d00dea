// Starts the real embedded stack (simulator + api + in-process worker + built web app) for e2e
// tests, on free ports with a fresh data directory, and stops it (whole process group) after.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const OWNER = { email: 'owner@e2e.test', password: 'e2e owner password 42' };

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function startStack({ timeoutMs = Number(process.env.MERIDIAN_E2E_STACK_TIMEOUT_MS ?? 90_000) } = {}) {
  const [port, simPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'meridian-e2e-'));
  const logFile = path.join(dataDir, 'stack.log');
  const log = openSync(logFile, 'a');
  const env = {
    ...process.env,
    PORT: String(port),
    SIM_PORT: String(simPort),
    MERIDIAN_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    MERIDIAN_OWNER_EMAIL: OWNER.email,
    MERIDIAN_OWNER_PASSWORD: OWNER.password,
  };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'MERIDIAN_SECRET_KEY']) delete env[k];
  const child = spawn(process.execPath, [path.join(repoRoot, 'tools/start-embedded.mjs')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', log, log],
    detached: true,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  let cookie = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`stack exited early (${child.exitCode}); see ${logFile}`);
    try {
      if (!cookie) {
        const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
        if (login.ok) cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      }
      const res = await fetch(`${baseUrl}/api/accounts`, { headers: { cookie } });
      if (res.ok) {
        const { items } = await res.json();
        last = items.map((a) => `${a.id}:${a.streams.map((s) => s.lastStatus).join('/')}`).join(' ');
        if (items.length > 0 && items.every((a) => a.streams.every((s) => s.lastStatus === 'succeeded'))) {
          return { baseUrl, accounts: items, stop, logFile, cookie };
        }
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`stack not synced within ${timeoutMs} ms: ${last}`);
}
