#!/usr/bin/env node
// `npm run meridian -- <command>`: the CLI lives in the worker app; build it first if needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'apps/worker/dist/cli/meridian.js');
if (!existsSync(cli)) {
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'run', '@meridian/worker:build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const { buildCli } = createRequire(import.meta.url)(cli);
await buildCli()
  .parseAsync(process.argv)
  .catch((err) => {
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
  });
