// The "worker" side of the ingest benchmark, in its own process so its peak RSS is its own:
// connects the simulator's benchmark account and syncs its unbilled usage into the store.
// With several store configs, one sync per store runs at the same time (as a worker's concurrent
// jobs do): the peak RSS is then that of several pipelines in one process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SecretBox, Store } = require('@meridian/store');
const { AccountSync, PartnerCenterClients, connectSimulatorAccounts } = require('@meridian/sync');

const { simUrl, accountId, storeConfigs, usageApi } = JSON.parse(process.argv[2]);

/**
 * This process's own peak resident set, in MB. Not `resourceUsage().maxRSS`: Linux carries the
 * parent's high-water mark over fork and exec into the child's ru_maxrss, so a parent holding
 * 600 MB when it spawns us would show as our peak. VmHWM is the high-water mark of our own memory.
 */
function peakRssMb() {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
const stores = [];
for (const config of storeConfigs) {
  const store = await Store.open(config, SecretBox.fromKey(Buffer.alloc(32, 9)));
  await connectSimulatorAccounts(store, simUrl);
  // The read path under test (auto would pick Graph for this global-cloud account).
  await store.dataSource.query(`UPDATE account SET usage_api = '${usageApi === 'v1' ? 'v1' : 'graph'}' WHERE id = '${accountId.replace(/'/g, '')}'`);
  stores.push(store);
}
// Benchmark the pipeline, not Partner Center's throttling: lift the per-account pacing.
const clients = new PartnerCenterClients({ requestsPerSecond: 10_000, burst: 10_000, graph: { pollIntervalMs: 100 } });
const rowsOf = stores.map(() => 0);
let lastReport = 0;
let lastPageAt = 0n;
// Peak RSS so far at every millionth row: flat memory shows as the same peak at 1M and at 10M.
let nextMilestone = 1_000_000;
// Where the peak happens (rows so far, and the export's phase): sampled every 100 ms.
let lastPhase = null;
let peakSample = { rss: 0, rows: 0, phase: null };
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  if (rss > peakSample.rss) peakSample = { rss, rows: rowsOf.reduce((a, b) => a + b, 0), phase: lastPhase };
}, 100);
const started = process.hrtime.bigint();
const results = await Promise.all(
  stores.map((store, i) =>
    new AccountSync(store, clients, { log() {}, error: (m) => console.error(m) }).runStream(accountId, 'unbilled-usage', {
      onProgress: (p) => {
        lastPhase = p.phase ?? null;
        lastPageAt = process.hrtime.bigint();
        rowsOf[i] = p.rows;
        const rows = rowsOf.reduce((a, b) => a + b, 0);
        if (rows >= nextMilestone) {
          process.stderr.write(`  ingest: peak RSS ${Math.round(peakRssMb())} MB up to ${rows.toLocaleString('en-US')} rows\n`);
          nextMilestone += 1_000_000;
        }
        if (Date.now() - lastReport > 5000) {
          lastReport = Date.now();
          process.stderr.write(`  ingest: ${rows.toLocaleString('en-US')} rows, rss ${Math.round(process.memoryUsage().rss / 1048576)} MB\n`);
        }
      },
    }),
  ),
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(sampler);
process.stderr.write(`  ingest: highest sampled RSS ${Math.round(peakSample.rss / 1048576)} MB at ${peakSample.rows.toLocaleString('en-US')} rows${peakSample.phase ? ` (${peakSample.phase})` : ''}\n`);
// What the run did after its last page (unbilled sweep, daily rollup of the period).
const afterPagesSeconds = lastPageAt ? seconds - Number(lastPageAt - started) / 1e9 : 0;
for (const store of stores) await store.close();
const failed = results.find((r) => r.status !== 'succeeded');
process.stdout.write(
  JSON.stringify({
    status: failed?.status ?? 'succeeded',
    error: failed?.error,
    rowsPerSync: results.map((r) => r.progress.rows),
    seconds,
    afterPagesSeconds,
    peakRssMb: peakRssMb(),
  }) + '\n',
);
