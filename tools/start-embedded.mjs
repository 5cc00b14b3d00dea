#!/usr/bin/env node
// Embedded mode (`npm start`): the Partner Center simulator with the demo accounts, then the api
// with its in-process worker, serving the dashboard. Runs what `npm run build` produced.
// MERIDIAN_DEMO=false starts the api alone (for real Partner Center accounts).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const apiMain = path.join(root, 'apps/api/dist/main.js');
const simMain = path.join(root, 'apps/pc-sim/dist/main.js');
const demo = process.env.MERIDIAN_DEMO !== 'false';
const simPort = process.env.SIM_PORT || '4100';
const simUrl = `http://127.0.0.1:${simPort}`;

for (const file of demo ? [apiMain, simMain] : [apiMain]) {
  if (!existsSync(file)) {
    console.error(`${path.relative(root, file)} is missing: run \`npm run build\` first (npm start does).`);
    process.exit(1);
  }
}

const children = [];
let stopping = false;

function run(name, file, env) {
  const child = spawn(process.execPath, [file], { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping`);
      stop(code || 1);
    }
  });
  children.push(child);
  return child;
}

function stop(code = 0) {
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on('exit', r)) : null))).then(() => process.exit(code));
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

if (demo) {
  run('pc-sim', simMain, { SIM_PORT: simPort, SIM_HOST: '127.0.0.1' });
  await waitFor(`${simUrl}/_sim/clock`, 30_000);
}
run('api', apiMain, demo ? { MERIDIAN_DEMO_SIM_URL: simUrl } : {});
