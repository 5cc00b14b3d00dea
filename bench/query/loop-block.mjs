#!/usr/bin/env node
// Event-loop blocks of the embedded (SQLite) store's reads, with the reads on the main connection
// (MERIDIAN_READ_THREADS=0, as before decision 0016) and in the read pool (2 threads), same file:
//   node bench/query/loop-block.mjs --rows 1000000 [--dir /tmp/loop-bench] [--runs 3]
// Prints, per query, the wall time and the longest event-loop block while it ran: wall clock
// (perf_hooks.monitorEventLoopDelay, 1 ms resolution) and own work (gaps of a 2 ms timer minus the
// time the main thread waited for a CPU, Linux schedstat: on a shared machine the wall clock also
// counts the neighbours' time slices); then the same for one sync page write (2,000 line items) and
// one rollup refresh of an account-month (write side, for comparison).
// --dir keeps the seeded file for the next run (seeding 1M rows takes minutes on a busy machine).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, dir: { type: 'string' }, runs: { type: 'string', default: '3' } } });
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
if (!existsSync(path.join(root, 'libs/store/dist/index.js'))) throw new Error('libs/store/dist missing: run npm run build first');
const { Store, SecretBox, AccessScope } = require('@meridian/store');

const dir = values.dir ?? mkdtempSync(path.join(tmpdir(), 'meridian-loop-bench-'));
mkdirSync(dir, { recursive: true });
const config = { type: 'sqlite', database: path.join(dir, 'meridian.sqlite') };
const key = Buffer.alloc(32, 11);

// Cardinalities of issue 15: 6 accounts, 3 currencies, 200 customers, 1,000 subscriptions,
// 2,000 resource groups, 5,000 meters, 5 tag keys × 50 values, 20 regions, 30 services, 12 months.
const ACCOUNTS = [['us', 'USD', 'global'], ['eu', 'EUR', 'global'], ['gov', 'USD', 'usgov'], ['cn', 'CNY', 'china'], ['de', 'EUR', 'germany'], ['uk', 'EUR', 'global']];
const DAY0 = Date.UTC(2025, 11, 1); // 2025-12-01 … 2026-11-30
const DAYS = 365;
let seed = 4242;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (n) => Math.floor(rnd() * n);
const TAG_KEYS = ['costCenter', 'project', 'env', 'owner', 'app'];

function row(n) {
  const sub = n % 1000;
  const [account, currency, cloud] = ACCOUNTS[sub % ACCOUNTS.length];
  const day = new Date(DAY0 + (Math.floor(n / 1000) % DAYS) * 86_400_000).toISOString().slice(0, 10);
  const cost = (rnd() * 40).toFixed(8);
  const tags = JSON.stringify(Object.fromEntries(TAG_KEYS.map((k) => [k, `${k}-${pick(50)}`])));
  return {
    billingAccountId: account, xNaturalKey: createHash('sha256').update(`lb|${n}`).digest('base64url'), xCloud: cloud,
    xCustomerId: `cust-${sub % 200}`, xCustomerName: `Customer ${sub % 200}`, xPlanId: 'plan', subAccountId: `sub-${sub}`, subAccountName: `sub-${sub}`,
    serviceName: `service-${pick(30)}`, serviceCategory: 'Compute', regionId: `region-${pick(20)}`, regionName: 'r', resourceId: `/subscriptions/sub-${sub}/r/${n % 97}`,
    xResourceGroup: `rg-${(sub * 2 + pick(2)) % 2000}`, xMeterId: `meter-${pick(5000)}`, xMeterName: 'meter', xMeterSubcategory: '', chargeCategory: 'Usage', xChargeType: 'new',
    chargePeriodStart: day, billingPeriodStart: `${day.slice(0, 7)}-01`, invoiceId: null, consumedQuantity: '1', consumedUnit: '1 Hour',
    xUnitPrice: cost, xEffectiveUnitPrice: cost, billedCost: cost, billingCurrency: currency, effectiveCost: cost, xListCost: cost,
    xPricingCost: cost, pricingCurrency: 'USD', xExchangeRate: '1', xExchangeRateDate: day, xPartnerEarnedCreditRate: '0', tags,
    xSource: 'unbilled', xSyncRunId: 'bench', xIngestedAt: '2026-11-25T00:00:00.000Z',
  };
}

/** Nanoseconds the main thread spent runnable but waiting for a CPU (Linux); undefined elsewhere. */
function runQueueWaitNs() {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Runs fn once and reports its wall time and the longest event-loop block while it ran (wall clock, own work). */
async function measure(fn) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  let ownMs = 0;
  let lastTick = process.hrtime.bigint();
  let lastWait = runQueueWaitNs();
  const ticker = setInterval(() => {
    const now = process.hrtime.bigint();
    const wait = runQueueWaitNs();
    if (wait !== undefined) ownMs = Math.max(ownMs, Number(now - lastTick) / 1e6 - (wait - lastWait) / 1e6 - 2);
    lastTick = now;
    lastWait = wait;
  }, 2);
  h.enable();
  // The monitor records the gap between two of its own timer callbacks: let the first one fire.
  await new Promise((r) => setTimeout(r, 5));
  const t = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  // Let the monitor's timer fire once more: a block that lasted to the end is only recorded then.
  await new Promise((r) => setTimeout(r, 5));
  h.disable();
  clearInterval(ticker);
  return { ms, blockMs: h.max / 1e6, ownMs };
}

const YEAR = { from: '2025-12-01', to: '2026-11-30', includeSandbox: false };
const MONTH = { from: '2026-10-01', to: '2026-10-31', includeSandbox: false };
const QUERIES = [
  ['raw resource-group breakdown, 12 months', (s) => s.costs.breakdown(AccessScope.all(), ['resourceGroup'], { ...YEAR, readFrom: 'raw' })],
  ['raw meter breakdown, October', (s) => s.costs.breakdown(AccessScope.all(), ['meter'], { ...MONTH, readFrom: 'raw' })],
  ['raw tag breakdown (costCenter), October', (s) => s.costs.breakdown(AccessScope.all(), ['tag'], { ...MONTH, tagKey: 'costCenter', readFrom: 'raw' })],
  ['rollup service × region, October', (s) => s.costs.breakdown(AccessScope.all(), ['service', 'region'], MONTH)],
  ['line items, first 1,000 of October', (s) => s.costs.lineItems(AccessScope.all(), MONTH, { limit: 1000 })],
];

let store;
try {
  store = await Store.open(config, SecretBox.fromKey(key), { readThreads: 0 });
  const [{ n: existing }] = await store.dataSource.query('SELECT count(*) AS n FROM cost_line_item');
  if (Number(existing) < ROWS) {
    for (const [id, currency, cloud] of ACCOUNTS) {
      await store.accounts.upsertConnection(
        { id, name: id, cloud, tenantId: `t-${id}`, appId: 'a', secret: 's', apiBaseUrl: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9/t', tokenResource: 'r', currency, sandbox: false, enabled: false },
        { userId: null, via: 'bench' },
      );
    }
    const t0 = Date.now();
    for (let n = Number(existing); n < ROWS; n += 2000) {
      const batch = [];
      for (let i = n; i < Math.min(ROWS, n + 2000); i++) batch.push(row(i));
      await store.costs.upsert(batch);
      if (n % 200_000 === 0 && n) console.error(`  ${n.toLocaleString('en-US')} rows written`);
    }
    const t1 = Date.now();
    const built = await store.rollups.rebuild();
    console.error(`seeded ${ROWS.toLocaleString('en-US')} rows in ${((t1 - t0) / 1000).toFixed(0)} s; rollup ${built.rows.toLocaleString('en-US')} rows in ${((Date.now() - t1) / 1000).toFixed(0)} s`);
  }
  await store.close();
  store = undefined;

  const results = {};
  for (const threads of [0, 2]) {
    store = await Store.open(config, SecretBox.fromKey(key), { readThreads: threads });
    await store.reads.query('SELECT 1 AS x'); // threads started, connections open
    for (const [label, q] of QUERIES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measure(() => q(store)));
      const worst = { blockMs: Math.max(...runs.map((r) => r.blockMs)), ownMs: Math.max(...runs.map((r) => r.ownMs)) };
      const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      results[`${label} @${threads}`] = { median_ms: median(runs.map((r) => r.ms)), worst_block_ms: worst.blockMs, worst_own_ms: worst.ownMs };
      console.error(
        `${threads === 0 ? 'main connection' : 'read pool (2)  '} | ${label}: median ${median(runs.map((r) => r.ms)).toFixed(0)} ms, ` +
          `longest loop block ${worst.blockMs.toFixed(1)} ms wall, ${worst.ownMs.toFixed(1)} ms own work (${RUNS} runs)`,
      );
    }
    await store.close();
    store = undefined;
  }

  // Write side, for comparison (not changed by decision 0016): one sync page and one rollup refresh.
  store = await Store.open(config, SecretBox.fromKey(key));
  const page = Array.from({ length: 2000 }, (_, i) => row(ROWS + i));
  const write = await measure(() => store.costs.upsert(page));
  console.error(`write side | one page upsert, 2,000 line items: ${write.ms.toFixed(0)} ms, longest loop block ${write.blockMs.toFixed(1)} ms wall, ${write.ownMs.toFixed(1)} ms own work`);
  const refresh = await measure(() => store.rollups.refreshPeriod('us', '2026-10-01'));
  console.error(`write side | rollup refresh of one account-month (~${Math.round(ROWS / 12 / 6).toLocaleString('en-US')} rows): ${refresh.ms.toFixed(0)} ms, longest loop block ${refresh.blockMs.toFixed(1)} ms wall, ${refresh.ownMs.toFixed(1)} ms own work`);
  await store.close();
  store = undefined;
  // Each figure: wall-clock block / own-work block, in ms.
  console.log(
    `loop-block rows=${ROWS} ${Object.entries(results).map(([k, v]) => `${k.replace(/[^A-Za-z0-9@]+/g, '_')}=${v.worst_block_ms.toFixed(1)}/${v.worst_own_ms.toFixed(1)}`).join(' ')} ` +
      `page_write=${write.blockMs.toFixed(1)}/${write.ownMs.toFixed(1)} rollup_refresh=${refresh.blockMs.toFixed(1)}/${refresh.ownMs.toFixed(1)}`,
  );
} finally {
  await store?.close();
  if (!values.dir) rmSync(dir, { recursive: true, force: true });
}
