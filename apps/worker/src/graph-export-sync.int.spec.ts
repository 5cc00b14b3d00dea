import { sumDecimals } from '@meridian/finops';
import { startSimulator } from '@meridian/pc-sim';
import { AccessScope, SecretBox, Store, createTestStore, TestStore } from '@meridian/store';
import { AccountSync, PartnerCenterClients, connectSimulatorAccounts, SimulatorAccount } from '@meridian/sync';
import { expectedServiceRegion, groundTruth, SIM_NOW, storedBySource, storedServiceRegion, truthBySource } from './testing/ground-truth';

const quiet = { log: () => undefined, error: () => undefined };
const json = { 'content-type': 'application/json' };

async function simPut(simUrl: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${simUrl}${path}`, { method: 'PUT', headers: json, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
}

/**
 * Issue 14: global-cloud accounts read through the Microsoft Graph billing export (v1 usage reads
 * are retired there in the simulator, as at Microsoft), the others through v1 — every fault of the
 * export path still ends with the simulator's ground truth, exactly.
 */
describe.each(['sqlite', 'postgres'] as const)('Graph billing export sync into %s', (kind) => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let test: TestStore;
  let store: Store;
  let accounts: SimulatorAccount[];
  let sync: AccountSync;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: SIM_NOW, retireV1: true, graphDelaySeconds: 0 });
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 3)));
    accounts = await connectSimulatorAccounts(store, sim.url);
    sync = new AccountSync(store, new PartnerCenterClients({ retryBaseMs: 10, graph: { pollIntervalMs: 100 } }), quiet);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await test?.drop();
    await sim?.close();
  });

  it('reads global, EU and the sandbox through Graph and US Gov, 21Vianet, Germany through v1; consolidated totals exact', async () => {
    const consolidated = new Map<string, string>();
    for (const a of accounts) {
      const result = await sync.run(a.id);
      expect({ account: a.id, status: result.status, error: result.error }).toEqual({ account: a.id, status: 'succeeded', error: undefined });
      expect({ account: a.id, paths: await readPathsOf(store, a.id) }).toEqual({ account: a.id, paths: [a.cloud === 'global' ? 'graph' : 'v1'] });
      const truth = await groundTruth(sim.url, a.id);
      expect({ account: a.id, rows: await storedBySource(store, a.id) }).toEqual({ account: a.id, rows: await truthBySource(sim.url, a.id) });
      expect((await storedServiceRegion(store, a.id)).cells).toEqual(expectedServiceRegion(truth));
      if (!a.sandbox) consolidated.set(a.currency, sumDecimals([consolidated.get(a.currency) ?? '0', truth.total]));
    }
    const { totals } = await store.costs.breakdown(AccessScope.all(), ['service'], { from: '2026-10-01', to: '2026-11-24', includeSandbox: false });
    expect(Object.fromEntries(totals.map((t) => [t.currency, t.amount]))).toEqual(Object.fromEntries(consolidated));
    // Billing line items of the Graph reconciliation export landed for the global accounts' invoices.
    const eu = await store.invoices.list(AccessScope.accounts(['eu']));
    expect(eu.filter((i) => i.billingLinesSyncedAt).length).toBeGreaterThan(0);
  }, 240_000);

  it('switching an account to v1 and back neither double-counts nor drops a day', async () => {
    const before = await storedServiceRegion(store, 'eu');
    const creds = await store.accounts.get(AccessScope.all(), 'eu');
    // The simulator retired v1 for global accounts: turn that off to read the same items through v1.
    const simNoRetire = await startSimulator({ port: 0, seed: 42, now: SIM_NOW, retireV1: false });
    try {
      const acct = ((await (await fetch(`${simNoRetire.url}/_sim/accounts`)).json()) as { items: SimulatorAccount[] }).items.find((a) => a.id === 'eu')!;
      await store.accounts.upsertConnection(
        { id: 'eu', name: creds!.name, cloud: 'global', tenantId: acct.tenantId, appId: acct.appId, secret: acct.secret, apiBaseUrl: acct.baseUrl, tokenUrl: acct.tokenUrl, tokenResource: acct.resource, currency: 'EUR', sandbox: false, usageApi: 'v1' },
        { userId: null, via: 'test' },
      );
      expect((await sync.runStream('eu', 'unbilled-usage')).status).toBe('succeeded');
      expect(await storedServiceRegion(store, 'eu')).toEqual(before);
    } finally {
      await simNoRetire.close();
    }
    await connectSimulatorAccounts(store, sim.url);
    await store.accounts.upsertConnection({ ...(await connectionOf(sim.url, 'eu')), usageApi: 'auto' }, { userId: null, via: 'test' });
    expect((await sync.runStream('eu', 'unbilled-usage')).status).toBe('succeeded');
    expect(await storedServiceRegion(store, 'eu')).toEqual(before);
  }, 120_000);
});

async function connectionOf(simUrl: string, id: string) {
  const a = ((await (await fetch(`${simUrl}/_sim/accounts`)).json()) as { items: SimulatorAccount[] }).items.find((x) => x.id === id)!;
  return {
    id: a.id, name: a.name, cloud: a.cloud, tenantId: a.tenantId, appId: a.appId, secret: a.secret, apiBaseUrl: a.baseUrl, tokenUrl: a.tokenUrl,
    tokenResource: a.resource, graphBaseUrl: a.graphBaseUrl ?? null, graphTokenUrl: a.graphTokenUrl ?? null, currency: a.currency, sandbox: a.sandbox,
  };
}

const FAULTS = ['graph429', 'exportFailed', 'sasExpired', 'truncatedGzip', 'malformed'] as const;
/**
 * 429s hit 30% of Graph requests; the other export faults hit every export or blob they can (the
 * simulator draws them once per operation or blob, so a retry meets a healthy one); 2% of lines are malformed.
 */
const RATES: Record<(typeof FAULTS)[number], number> = { graph429: 0.3, exportFailed: 1, sasExpired: 1, truncatedGzip: 1, malformed: 0.02 };

describe('Graph export under faults, without permission, and across month close (sqlite)', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let test: TestStore;
  let store: Store;
  let sync: AccountSync;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 5, now: SIM_NOW, retireV1: true, graphDelaySeconds: 0 });
    test = await createTestStore('sqlite');
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 4)));
    await connectSimulatorAccounts(store, sim.url);
    sync = new AccountSync(store, new PartnerCenterClients({ retryBaseMs: 10, graph: { pollIntervalMs: 100 } }), quiet);
    // Several blobs per export, so faults can land between and inside blobs.
    await simPut(sim.url, '/_sim/graph/eu', { linesPerBlob: 700 });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await test?.drop();
    await sim?.close();
  });

  it.each(FAULTS)('%s: the sync still ends with the ground truth exactly, malformed lines quarantined', async (fault) => {
    // A connection of its own per fault (same simulated account), so no earlier run's rows help.
    const id = `eu-${fault.toLowerCase()}`;
    await store.accounts.upsertConnection({ ...(await connectionOf(sim.url, 'eu')), id }, { userId: null, via: 'test' });
    await simPut(sim.url, '/_sim/faults/eu', { rate: RATES[fault], kinds: [fault], retryAfterSeconds: 1 });
    try {
      const result = await sync.run(id);
      expect({ fault, status: result.status, error: result.error }).toEqual({ fault, status: 'succeeded', error: undefined });
      const log = ((await (await fetch(`${sim.url}/_sim/faults/eu/log`)).json()) as { injected: Record<string, number> }).injected;
      expect({ fault, injected: (log[fault] ?? 0) > 0 }).toEqual({ fault, injected: true });
      const truth = await groundTruth(sim.url, 'eu');
      expect((await storedServiceRegion(store, id)).cells).toEqual(expectedServiceRegion(truth));
      expect(await storedBySource(store, id)).toEqual(await truthBySource(sim.url, 'eu'));
      const quarantined = Number((await store.dataSource.query('SELECT count(*) AS n FROM quarantined_record WHERE account_id = ?', [id]))[0].n);
      if (fault === 'malformed') expect(quarantined).toBeGreaterThan(0);
      else expect(quarantined).toBe(0);
    } finally {
      await fetch(`${sim.url}/_sim/faults/eu`, { method: 'DELETE' });
    }
  }, 120_000);

  it('without PartnerBilling.Read.All the account fails with what to grant; the others sync', async () => {
    const a = await connectionOf(sim.url, 'global-us');
    await simPut(sim.url, '/_sim/graph/global-us', { permission: false });
    const failed = await sync.run('global-us');
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(`grant PartnerBilling.Read.All (application) to app ${a.appId} in tenant ${a.tenantId}`);
    expect(failed.error).not.toContain(a.secret);
    expect((await sync.run('usgov')).status).toBe('succeeded');
    await simPut(sim.url, '/_sim/graph/global-us', { permission: true });
    expect((await sync.run('global-us')).status).toBe('succeeded');
  }, 120_000);

  it('month close on the simulated clock: billed rows of the Graph export replace the unbilled ones, exactly', async () => {
    const before = await sync.run('eu');
    expect(before.status).toBe('succeeded');
    await fetch(`${sim.url}/_sim/clock`, { method: 'POST', headers: json, body: JSON.stringify({ now: '2026-12-08T06:00:00Z' }) });
    expect((await sync.run('eu')).status).toBe('succeeded');
    const window = { from: '2026-10-01', to: '2026-12-07' };
    const truth = await groundTruth(sim.url, 'eu', window);
    const bySource = await truthBySource(sim.url, 'eu', window);
    expect(bySource).toEqual({ billed: expect.any(Number), unbilled: expect.any(Number) });
    expect(await storedBySource(store, 'eu', window)).toEqual(bySource);
    expect((await storedServiceRegion(store, 'eu', window)).cells).toEqual(expectedServiceRegion(truth));
    expect(await readPathsOf(store, 'eu')).toEqual(['graph']);
  }, 120_000);
});

async function readPathsOf(store: Store, accountId: string) {
  const runs = await store.syncRuns.listForAccount(AccessScope.all(), accountId);
  return [...new Set(runs.filter((r) => r.stream === 'unbilled-usage' || r.stream === 'invoices').map((r) => r.readPath))];
}
