#!/usr/bin/env node
// Query benchmark (issue 7): dashboard queries against N raw cost rows, in process and over HTTP.
//   npm run bench:query -- --rows 1000000 [--db sqlite|postgres] [--duration 30] [--connections 50]
// Ends with: query rows=N breakdown_p95_ms=A timeseries_p95_ms=B topn_p95_ms=C http_p95_ms=D http_errors=E
//
// Data: synthetic FOCUS rows written through the store's own bulk upsert, spread like real CSP
// usage: 5 accounts (USD, EUR, CNY), 100 customers, 500 Azure subscriptions, each subscription
// using 4 (service, region) pairs with many meters/resources, over 90 days (Sep–Nov 2026); then the
// daily rollups are built. Queries: service × region of October across all accounts; the daily time
// series of October; the top 10 customers of October. HTTP: the real api (auth, guard, validation,
// JSON) under autocannon on 127.0.0.1.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    db: { type: 'string', default: 'sqlite' },
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' },
    iterations: { type: 'string', default: '200' },
  },
});
const ROWS = Number(values.rows);
if (!Number.isInteger(ROWS) || ROWS < 1000) throw new Error('--rows must be an integer ≥ 1000');
if (!['sqlite', 'postgres'].includes(values.db)) throw new Error('--db must be sqlite or postgres');
for (const f of ['libs/store/dist/index.js', 'apps/api/dist/bootstrap.js']) {
  if (!existsSync(path.join(root, f))) throw new Error(`${f} missing: run npm run build first`);
}
const { Store, SecretBox, AccessScope } = require('@meridian/store');
const autocannon = require('autocannon');
const pg = require('pg');

const work = mkdtempSync(path.join(tmpdir(), 'meridian-query-bench-'));
const key = randomBytes(32);
let config;
let dropSchema = async () => undefined;
if (values.db === 'postgres') {
  const url = process.env.DATABASE_TEST_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `qbench_${randomBytes(4).toString('hex')}`;
  config = { type: 'postgres', url, schema };
  dropSchema = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  };
} else {
  config = { type: 'sqlite', database: path.join(work, 'meridian.sqlite') };
}

const ACCOUNTS = [
  ['us', 'USD', 'global'], ['eu', 'EUR', 'global'], ['gov', 'USD', 'usgov'], ['cn', 'CNY', 'china'], ['de', 'EUR', 'germany'],
];
const SERVICES = ['Virtual Machines', 'Storage', 'Azure SQL Database', 'Bandwidth', 'Azure App Service', 'Azure Kubernetes Service', 'Azure Monitor', 'Azure Cosmos DB', 'Key Vault', 'Azure Functions', 'Backup', 'Load Balancer'];
const REGIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2', 'usgovvirginia', 'chinaeast2', 'germanycentral', 'uksouth', 'francecentral'];
const DAY0 = Date.UTC(2026, 8, 1); // 2026-09-01
const DAYS = 90;

let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const subs = Array.from({ length: 500 }, (_, i) => {
  const [account, currency, cloud] = ACCOUNTS[i % ACCOUNTS.length];
  const pairs = Array.from({ length: 4 }, () => [SERVICES[Math.floor(rnd() * SERVICES.length)], REGIONS[Math.floor(rnd() * REGIONS.length)]]);
  return { account, currency, cloud, customer: `cust-${i % 100}`, id: `sub-${i}`, pairs };
});

function row(n) {
  const sub = subs[n % subs.length];
  const day = new Date(DAY0 + (Math.floor(n / subs.length) % DAYS) * 86_400_000).toISOString().slice(0, 10);
  const [service, region] = sub.pairs[n % 4];
  const cost = (rnd() * 40).toFixed(8);
  return {
    billingAccountId: sub.account, xNaturalKey: createHash('sha256').update(`q|${n}`).digest('base64url'), xCloud: sub.cloud,
    xCustomerId: sub.customer, xCustomerName: `Customer ${sub.customer}`, xPlanId: `plan-${sub.customer}`, subAccountId: sub.id, subAccountName: sub.id,
    serviceName: service, serviceCategory: 'Compute', regionId: region, regionName: region, resourceId: `/subscriptions/${sub.id}/r/${n % 97}`,
    xResourceGroup: `rg-${n % 13}`, xMeterId: `meter-${n % 211}`, xMeterName: 'meter', xMeterSubcategory: '', chargeCategory: 'Usage', xChargeType: 'new',
    chargePeriodStart: day, billingPeriodStart: `${day.slice(0, 7)}-01`, invoiceId: null, consumedQuantity: '1', consumedUnit: '1 Hour',
    xUnitPrice: cost, xEffectiveUnitPrice: cost, billedCost: cost, billingCurrency: sub.currency, effectiveCost: cost, xListCost: cost,
    xPricingCost: cost, pricingCurrency: 'USD', xExchangeRate: '1', xExchangeRateDate: day, xPartnerEarnedCreditRate: '0', tags: '{}',
    xSource: 'unbilled', xSyncRunId: 'bench', xIngestedAt: '2026-11-25T00:00:00.000Z',
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
async function timeIt(label, n, fn) {
  for (let i = 0; i < 5; i++) await fn(); // warm up
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const r = { p50: percentile(ms, 50), p95: percentile(ms, 95) };
  console.error(`${label}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${n} runs)`);
  return r;
}

let store;
let app;
try {
  store = await Store.open(config, SecretBox.fromKey(key));
  for (const [id, currency, cloud] of ACCOUNTS) {
    await store.accounts.upsertConnection(
      { id, name: id, cloud, tenantId: `t-${id}`, appId: 'a', secret: 's', apiBaseUrl: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9/t', tokenResource: 'r', currency, sandbox: false, enabled: false },
      { userId: null, via: 'bench' },
    );
  }
  const t0 = Date.now();
  const BATCH = 2000;
  for (let n = 0; n < ROWS; n += BATCH) {
    const batch = [];
    for (let i = n; i < Math.min(ROWS, n + BATCH); i++) batch.push(row(i));
    await store.costs.upsert(batch);
    if (n % 500_000 === 0 && n) console.error(`  ${n.toLocaleString('en-US')} rows written`);
  }
  const t1 = Date.now();
  const built = await store.rollups.rebuild();
  const t2 = Date.now();
  console.error(`data: ${ROWS.toLocaleString('en-US')} raw rows in ${((t1 - t0) / 1000).toFixed(1)} s; rollup: ${built.rows.toLocaleString('en-US')} rows for ${built.periods} account-months in ${((t2 - t1) / 1000).toFixed(1)} s`);

  const october = { from: '2026-10-01', to: '2026-10-31', includeSandbox: false };
  const iterations = Number(values.iterations);
  const breakdown = await timeIt('breakdown service × region, October, all accounts', iterations, () => store.costs.breakdown(AccessScope.all(), ['service', 'region'], october));
  const timeseries = await timeIt('daily time series, October', iterations, () => store.costs.aggregate(AccessScope.all(), ['day'], october));
  const topn = await timeIt('top 10 customers, October', iterations, async () =>
    (await store.costs.aggregate(AccessScope.all(), ['customer'], october)).sort((a, b) => Number(b.amount) - Number(a.amount)).slice(0, 10),
  );
  const raw = await timeIt('(for comparison) the same breakdown from raw rows', Math.max(5, Math.floor(iterations / 20)), () =>
    store.costs.breakdown(AccessScope.all(), ['service', 'region'], { ...october, readFrom: 'raw' }),
  );
  await store.close();
  store = undefined;

  // HTTP: the real api on the same store, signed in as the owner.
  Object.assign(process.env, {
    MERIDIAN_SECRET_KEY: key.toString('base64'),
    MERIDIAN_OWNER_EMAIL: 'bench@example.test',
    MERIDIAN_OWNER_PASSWORD: 'a long bench password 1',
    MERIDIAN_EMBEDDED_WORKER: 'false',
    ...(config.type === 'postgres' ? { DATABASE_URL: config.url, DATABASE_SCHEMA: config.schema } : { MERIDIAN_DATA_DIR: work }),
  });
  const { createApiApp } = require(path.join(root, 'apps/api/dist/bootstrap.js'));
  const { apiConfigFromEnv } = require(path.join(root, 'apps/api/dist/api.config.js'));
  app = await createApiApp({ ...apiConfigFromEnv(), port: 0, host: '127.0.0.1', demoSimUrl: undefined });
  app.useLogger(false);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.test', password: 'a long bench password 1' }) });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const url = `${base}/api/costs/breakdown?groupBy=service,region&from=2026-10-01&to=2026-10-31`;
  const check = await fetch(url, { headers: { cookie } });
  if (!check.ok) throw new Error(`breakdown over HTTP: ${check.status}`);
  const result = await autocannon({ url, connections: Number(values.connections), duration: Number(values.duration), headers: { cookie } });
  // autocannon reports p90 and p97.5, not p95: the reported figure is p97.5, an upper bound of p95.
  const http = { p50: result.latency.p50, p95: result.latency.p97_5, errors: result.errors + result.non2xx + result.timeouts, rps: result.requests.average };
  console.error(`HTTP breakdown, ${values.connections} connections, ${values.duration} s: ${Math.round(http.rps)} req/s, p50 ${http.p50} ms, p97.5 ${http.p95} ms, errors ${http.errors}`);
  console.error(`raw-row breakdown p95 for comparison: ${raw.p95.toFixed(1)} ms`);
  console.log(
    `query rows=${ROWS} breakdown_p95_ms=${breakdown.p95.toFixed(1)} timeseries_p95_ms=${timeseries.p95.toFixed(1)} topn_p95_ms=${topn.p95.toFixed(1)} http_p95_ms=${http.p95} http_errors=${http.errors}`,
  );
} finally {
  await app?.close();
  await store?.close();
  await dropSchema();
  rmSync(work, { recursive: true, force: true });
}
