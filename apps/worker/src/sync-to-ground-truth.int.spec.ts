import { normalizeDecimal } from '@meridian/finops';
import { startSimulator } from '@meridian/pc-sim';
import { AccessScope, SecretBox, Store, createTestStore, TestStore } from '@meridian/store';
import { AccountSync, PartnerCenterClients, connectSimulatorAccounts, SimulatorAccount } from '@meridian/sync';
import { SIM_NOW, expectedServiceRegion, groundTruth, storedBySource, storedServiceRegion, truthBySource } from './testing/ground-truth';

const quiet = { log: () => undefined, error: () => undefined };

describe.each(['sqlite', 'postgres'] as const)('sync of every simulated account into %s', (kind) => {
  let sim: { url: string; close(): Promise<void> };
  let test: TestStore;
  let store: Store;
  let accounts: SimulatorAccount[];
  let sync: AccountSync;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: SIM_NOW, graphDelaySeconds: 0 });
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 1)));
    accounts = await connectSimulatorAccounts(store, sim.url);
    sync = new AccountSync(store, new PartnerCenterClients({ retryBaseMs: 10 }), quiet);
  });

  afterAll(async () => {
    await store?.close();
    await test?.drop();
    await sim?.close();
  });

  it('connects the six demo accounts, each with its own tenant and currency', () => {
    expect(accounts.map((a) => [a.id, a.cloud, a.currency, a.sandbox])).toEqual([
      ['global-us', 'global', 'USD', false],
      ['eu', 'global', 'EUR', false],
      ['usgov', 'usgov', 'USD', false],
      ['china', 'china', 'CNY', false],
      ['germany', 'germany', 'EUR', false],
      ['global-sandbox', 'global', 'USD', true],
    ]);
    expect(new Set(accounts.map((a) => a.tenantId)).size).toBe(6);
  });

  it('equals the simulator ground truth to the cent (exactly), per account × service × region', async () => {
    for (const a of accounts) {
      // The answer cache knows a run of this process is writing (AnswerCache may lag it), and when it ended.
      const syncingAtPages = new Set<boolean>();
      const result = await sync.run(a.id, { onProgress: () => syncingAtPages.add(store.costs.cache.syncing) });
      expect({ account: a.id, status: result.status, error: result.error }).toEqual({ account: a.id, status: 'succeeded', error: undefined });
      expect({ account: a.id, syncingAtPages: [...syncingAtPages], after: store.costs.cache.syncing }).toEqual({ account: a.id, syncingAtPages: [true], after: false });
      const truth = await groundTruth(sim.url, a.id);
      expect(truth.lineItems).toBeGreaterThan(0);
      // October is invoiced at the simulator's clock: its billed rows replaced the estimates.
      const bySource = await truthBySource(sim.url, a.id);
      expect(bySource).toEqual({ billed: expect.any(Number), unbilled: expect.any(Number) });
      expect({ account: a.id, rows: await storedBySource(store, a.id) }).toEqual({ account: a.id, rows: bySource });
      const stored = await storedServiceRegion(store, a.id);
      expect(stored.cells).toEqual(expectedServiceRegion(truth));
      expect(stored.totals).toEqual([{ currency: a.currency, amount: normalizeDecimal(truth.total) }]);
    }
  });

  it('answers tag, resource group and meter breakdowns from the aggregates exactly as the raw rows do', async () => {
    type Group = Parameters<Store['costs']['aggregate']>[1][number];
    const sorted = <T>(cells: T[]) => [...cells].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    // October is billed (month closed through the aggregates), November unbilled; the second range cuts both months.
    for (const range of [{ from: '2026-10-01', to: '2026-11-30' }, { from: '2026-10-07', to: '2026-11-20' }]) {
      for (const tagKey of ['costCenter', 'project']) {
        for (const groups of [['tag'], ['tag', 'service'], ['tag', 'customer'], ['tag', 'resourceGroup'], ['tag', 'month']] as Group[][]) {
          const filter = { ...range, includeSandbox: true, tagKey };
          const fromAggregates = await store.costs.aggregate(AccessScope.all(), groups, filter);
          expect(fromAggregates.length).toBeGreaterThan(1);
          expect({ tagKey, groups, cells: sorted(fromAggregates) }).toEqual({ tagKey, groups, cells: sorted(await store.costs.aggregate(AccessScope.all(), groups, { ...filter, readFrom: 'raw' })) });
        }
      }
      for (const groups of [['resourceGroup'], ['resourceGroup', 'service'], ['meter'], ['meter', 'region'], ['account', 'meter']] as Group[][]) {
        const filter = { ...range, includeSandbox: true };
        expect(sorted(await store.costs.aggregate(AccessScope.all(), groups, filter))).toEqual(sorted(await store.costs.aggregate(AccessScope.all(), groups, { ...filter, readFrom: 'raw' })));
      }
    }
  });

  it('is idempotent: syncing again leaves the same rows and totals', async () => {
    const countRows = async () => Number((await store.dataSource.query('SELECT count(*) AS n FROM cost_line_item'))[0].n);
    const before = await countRows();
    const snapshot = await storedServiceRegion(store, 'eu');
    const again = await sync.run('eu');
    expect(again.status).toBe('succeeded');
    expect(await countRows()).toBe(before);
    expect(await storedServiceRegion(store, 'eu')).toEqual(snapshot);
  });

  it("refuses one account's token at another account, and that failure stays with that account", async () => {
    const victim = accounts.find((a) => a.id === 'usgov')!;
    const other = accounts.find((a) => a.id === 'china')!;
    // Point usgov's connection at china's API: china's API must refuse usgov's token.
    await store.accounts.upsertConnection({
      id: victim.id, name: victim.name, cloud: victim.cloud, tenantId: victim.tenantId, appId: victim.appId, secret: victim.secret,
      apiBaseUrl: other.baseUrl, tokenUrl: victim.tokenUrl, tokenResource: victim.resource, currency: victim.currency, sandbox: false,
    }, { userId: null, via: 'test' });
    const failed = await sync.run(victim.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/401/);
    expect(failed.error).not.toContain(victim.secret);
    const ok = await sync.run(other.id);
    expect(ok.status).toBe('succeeded');
    const status = await store.syncRuns.statusByAccount([victim.id, other.id]);
    expect(status.get(victim.id)?.latest?.status).toBe('failed');
    expect(status.get(other.id)?.latest?.status).toBe('succeeded');
  });
});
