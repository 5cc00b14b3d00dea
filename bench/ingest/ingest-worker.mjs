// The "worker" side of the ingest benchmark, in its own process so its peak RSS is its own:
// connects the simulator's benchmark account and syncs its unbilled usage into the store.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SecretBox, Store } = require('@meridian/store');
const { AccountSync, PartnerCenterClients, connectSimulatorAccounts } = require('@meridian/sync');

const { simUrl, accountId, storeConfig } = JSON.parse(process.argv[2]);
const store = await Store.open(storeConfig, SecretBox.fromKey(Buffer.alloc(32, 9)));
await connectSimulatorAccounts(store, simUrl);
// Benchmark the pipeline, not Partner Center's throttling: lift the per-account pacing.
const sync = new AccountSync(store, new PartnerCenterClients({ requestsPerSecond: 10_000, burst: 10_000 }), { log() {}, error: (m) => console.error(m) });
let lastReport = 0;
let lastPageAt = 0n;
// Peak RSS so far at every millionth row: flat memory shows as the same peak at 1M and at 10M.
let nextMilestone = 1_000_000;
const started = process.hrtime.bigint();
const result = await sync.runStream(accountId, 'unbilled-usage', {
  onProgress: (p) => {
    lastPageAt = process.hrtime.bigint();
    if (p.rows >= nextMilestone) {
      process.stderr.write(`  ingest: peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB up to ${p.rows.toLocaleString('en-US')} rows\n`);
      nextMilestone += 1_000_000;
    }
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      process.stderr.write(`  ingest: ${p.rows.toLocaleString('en-US')} rows, ${p.pages} pages, rss ${Math.round(process.memoryUsage().rss / 1048576)} MB\n`);
    }
  },
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
// What the run did after its last page (unbilled sweep, daily rollup of the period).
const afterPagesSeconds = lastPageAt ? seconds - Number(lastPageAt - started) / 1e9 : 0;
await store.close();
// maxRSS is in kilobytes: the peak resident set of this process over its whole life.
process.stdout.write(JSON.stringify({ status: result.status, error: result.error, rows: result.progress.rows, seconds, afterPagesSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
