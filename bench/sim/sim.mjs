#!/usr/bin/env node
// Simulator benchmark (issue 4): how fast the Partner Center simulator serves daily rated usage to
// a raw reader (plain fetch + JSON.parse, one page after the other, following continuation links),
// and the simulator's RSS while it serves N items.
//   npm run bench:sim -- [--items 10000000] [--per-day 20000] [--size 2000] [--readers 1]
// The simulator runs as its own process (`--profile scale`); the scale account has about
// `--per-day` line items per usage day. Its unbilled periods (previous + current, 55 days at the
// fixed clock) are read pass after pass until N items were served: items are generated from
// (seed, cursor) on every read, so a later pass costs the simulator exactly what the first did.
// Ends with one line: sim items=N pages=P seconds=S pages_per_s=X items_per_s=Y mb_per_s=Z
//   sim_rss_start_mb=A sim_rss_peak_mb=B sim_rss_end_mb=C
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { nextPageRequest, simAccount, unbilledUsageRequest } from '../sim-client.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '1000000' },
    'per-day': { type: 'string', default: '20000' },
    size: { type: 'string', default: '2000' },
    readers: { type: 'string', default: '1' },
  },
});
const items = Number(values.items);
const perDay = Number(values['per-day']);
const size = Number(values.size);
const readers = Number(values.readers);
if (!Number.isInteger(items) || items < 1000) throw new Error('--items must be an integer ≥ 1000');
if (!Number.isInteger(perDay) || perDay < 1) throw new Error('--per-day must be a positive integer');
if (!Number.isInteger(size) || size < 1 || size > 2000) throw new Error('--size must be 1..2000');
if (!Number.isInteger(readers) || readers < 1 || readers > 16) throw new Error('--readers must be 1..16');
const main = path.join(root, 'apps/pc-sim/dist/main.js');
if (!existsSync(main)) throw new Error('apps/pc-sim/dist/main.js missing: run npx nx run @meridian/pc-sim:build first');

const NOW = '2026-11-25T12:00:00Z';

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const child = spawn(process.execPath, [main, '--profile', 'scale', '--keep-v1', '--port', '0', '--now', NOW, '--scale-items-per-day', String(perDay)], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  child.stdout.on('data', (d) => {
    const m = /listening on (\S+)/.exec(String(d));
    if (m) resolve(m[1]);
  });
  child.on('exit', (code) => reject(new Error(`simulator exited ${code}`)));
});

try {
  const { acct, token } = await simAccount(url, 'scale');
  const rssStart = rssMb(child.pid);
  let rssPeak = rssStart;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(child.pid))), 200);

  let served = 0;
  let pages = 0;
  let bytes = 0;
  let lastReport = Date.now();
  const t0 = process.hrtime.bigint();
  async function reader() {
    const periods = ['previous', 'current'];
    for (let pass = 0; served < items; pass++) {
      let req = unbilledUsageRequest(acct, periods[pass % 2], size);
      while (req && served < items) {
        const r = await fetch(req.url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...req.headers } });
        const text = await r.text();
        if (r.status !== 200) throw new Error(`${r.status} ${text.slice(0, 200)}`);
        const page = JSON.parse(text);
        served += page.items.length;
        pages++;
        bytes += text.length;
        req = nextPageRequest(acct, page);
        if (Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          const s = Number(process.hrtime.bigint() - t0) / 1e9;
          console.error(`  ${served.toLocaleString('en-US')} items, ${Math.round(served / s).toLocaleString('en-US')} items/s, sim RSS ${rssMb(child.pid).toFixed(0)} MB`);
        }
      }
    }
  }
  await Promise.all(Array.from({ length: readers }, reader));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sampler);
  const rssEnd = rssMb(child.pid);
  rssPeak = Math.max(rssPeak, rssEnd);
  console.log(
    `sim items=${served} pages=${pages} seconds=${seconds.toFixed(1)} pages_per_s=${(pages / seconds).toFixed(1)} items_per_s=${Math.round(served / seconds)}` +
      ` mb_per_s=${(bytes / 1e6 / seconds).toFixed(1)} sim_rss_start_mb=${rssStart.toFixed(0)} sim_rss_peak_mb=${rssPeak.toFixed(0)} sim_rss_end_mb=${rssEnd.toFixed(0)}` +
      ` per_day=${perDay} size=${size} readers=${readers}`,
  );
} finally {
  child.kill('SIGTERM');
}
