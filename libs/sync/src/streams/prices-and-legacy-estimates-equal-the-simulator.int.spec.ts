import Decimal from 'decimal.js';
import { startSimulator } from '@meridian/pc-sim';
import { AccessScope, SecretBox, Store, createTestStore, type TestStore } from '@meridian/store';
import { AccountSync } from '../account-sync';
import { PartnerCenterClients } from '../partner-center-clients';
import { connectSimulatorAccounts, type SimulatorAccount } from '../simulator-accounts';

const NOW = new Date('2026-11-25T12:00:00Z');
const quiet = { log: () => undefined, error: () => undefined };
const all = AccessScope.all();

interface CardTruth {
  currency: string;
  meters: { id: string; name: string; category: string; subcategory: string; region: string; unit: string; rates: Record<string, string>; includedQuantity: string; effectiveDate: string }[];
  malformed: { id: string; variant: string }[];
}
interface LegacyTruth {
  subscriptions: { customerId: string; subscriptionId: string; resources: { meterId: string; resourceUri: string; days: { day: string; quantity: string }[] }[] }[];
}

/** Graduated tiers written out here, apart from libs/finops: the cost of a cumulative quantity. */
function cumulativeCost(q: Decimal, meter: CardTruth['meters'][number]): Decimal {
  const billable = Decimal.max(0, q.minus(meter.includedQuantity));
  const tiers = Object.entries(meter.rates).map(([t, p]) => [new Decimal(t), new Decimal(p)] as const).sort((a, b) => a[0].comparedTo(b[0]));
  let cost = new Decimal(0);
  tiers.forEach(([from, price], i) => {
    const to = i + 1 < tiers.length ? Decimal.min(billable, tiers[i + 1][0]) : billable;
    if (to.gt(from)) cost = cost.plus(to.minus(from).times(price));
  });
  return cost;
}

describe.each(['sqlite', 'postgres'] as const)('prices and legacy estimates against the simulator on %s', (kind) => {
  let sim: { url: string; close(): Promise<void> };
  let test: TestStore;
  let store: Store;
  let accounts: SimulatorAccount[];
  let sync: AccountSync;
  const truth = async <T>(path: string): Promise<T> => (await (await fetch(`${sim.url}${path}`)).json()) as T;
  const faults = (account: string, body?: object) =>
    fetch(`${sim.url}/_sim/faults/${account}`, body ? { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : { method: 'DELETE' });

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: NOW });
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 3)));
    accounts = await connectSimulatorAccounts(store, sim.url);
    sync = new AccountSync(store, new PartnerCenterClients({ retryBaseMs: 10 }), quiet, { now: () => NOW });
  });
  afterAll(async () => {
    await store?.close();
    await test?.drop();
    await sim?.close();
  });

  it("stores each account's rate card exactly as the simulator serves it (decimal strings, every tier)", async () => {
    for (const a of accounts) {
      const run = await sync.runStream(a.id, 'prices');
      expect({ account: a.id, status: run.status, error: run.error }).toEqual({ account: a.id, status: 'succeeded', error: undefined });
      const card = await truth<CardTruth>(`/_sim/ground-truth/ratecard?account=${a.id}`);
      const stored = (await store.prices.search(all, a.id, { limit: 1000 }))!;
      const expected = card.meters.map((m) => ({ accountId: a.id, meterId: m.id, name: m.name, category: m.category, subcategory: m.subcategory, region: m.region, unit: m.unit, rates: m.rates, includedQuantity: m.includedQuantity, effectiveDate: m.effectiveDate, currency: a.currency }));
      const byId = (x: { meterId: string }, y: { meterId: string }) => x.meterId.localeCompare(y.meterId);
      expect(stored.map(({ syncedAt: _s, syncRunId: _r, ...rest }) => rest).sort(byId)).toEqual(expected.sort(byId));
      expect(run.progress).toMatchObject({ rows: card.meters.length, quarantined: 0 });
    }
  });

  it('quarantines each malformed meter with its reason, counts it, and keeps the others', async () => {
    await faults('eu', { rate: 0.3, kinds: ['malformed'] });
    try {
      const card = await truth<CardTruth>('/_sim/ground-truth/ratecard?account=eu');
      expect(card.malformed.length).toBeGreaterThan(0);
      const run = await sync.runStream('eu', 'prices');
      expect(run.status).toBe('succeeded');
      expect(run.progress).toMatchObject({ rows: card.meters.length, quarantined: card.malformed.length });
      const stored = (await store.prices.search(all, 'eu', { limit: 1000 }))!;
      expect(stored.map((p) => p.meterId).sort()).toEqual(card.meters.map((m) => m.id).sort());
      const p = kind === 'postgres' ? '$1' : '?';
      const q: { reason: string; payload: string }[] = await store.dataSource.query(`SELECT reason, payload FROM quarantined_record WHERE sync_run_id = ${p} ORDER BY id`, [run.runIds[0]]);
      const reasonFor: Record<string, RegExp> = { 'rate-not-a-number': /^rates\.0: /, 'missing-effective-date': /^effectiveDate: /, 'included-quantity-wrong-type': /^includedQuantity: / };
      expect(q.map((r) => JSON.parse(r.payload).id).sort()).toEqual(card.malformed.map((m) => m.id).sort());
      for (const m of card.malformed) expect(q.find((r) => JSON.parse(r.payload).id === m.id)!.reason).toMatch(reasonFor[m.variant]);
    } finally {
      await faults('eu');
    }
  });

  it('estimates legacy cost as quantity × the tiered rate-card price, month by month, flagged and left out of cost totals', async () => {
    for (const stream of ['customers', 'subscriptions', 'unbilled-usage', 'prices', 'legacy-utilization'] as const) {
      expect({ stream, status: (await sync.runStream('global-us', stream)).status }).toEqual({ stream, status: 'succeeded' });
    }
    const card = await truth<CardTruth>('/_sim/ground-truth/ratecard?account=global-us');
    const legacy = await truth<LegacyTruth>('/_sim/ground-truth/legacy?account=global-us&from=2026-10-01&to=2026-11-30');
    expect(legacy.subscriptions).toHaveLength(1);
    const expected = new Map<string, string>();
    for (const r of legacy.subscriptions[0].resources) {
      const meter = card.meters.find((m) => m.id === r.meterId)!;
      const used = new Map<string, Decimal>();
      for (const d of [...r.days].sort((x, y) => x.day.localeCompare(y.day))) {
        const month = d.day.slice(0, 7);
        const before = used.get(month) ?? new Decimal(0);
        const after = before.plus(d.quantity);
        used.set(month, after);
        expected.set(`${d.day}|${r.meterId}`, cumulativeCost(after, meter).minus(cumulativeCost(before, meter)).toFixed());
      }
    }
    const window = { from: '2026-10-01', to: '2026-11-30', includeSandbox: true, where: { account: ['global-us'] } };
    const items = await store.costs.lineItems(all, { ...window, includeEstimated: true, where: { account: ['global-us'], subscription: [legacy.subscriptions[0].subscriptionId] } }, { limit: 10_000 });
    const p = kind === 'postgres' ? '$1' : '?';
    const rows: { day: string; meter: string; cost: string; source: string }[] = await store.dataSource.query(
      `SELECT charge_period_start AS day, x_meter_id AS meter, billed_cost AS cost, x_source AS source FROM cost_line_item WHERE sub_account_id = ${p}`,
      [legacy.subscriptions[0].subscriptionId],
    );
    expect(rows.length).toBe(expected.size);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['estimated']));
    expect(new Map(rows.map((r) => [`${r.day}|${r.meter}`, new Decimal(String(r.cost)).toFixed()]))).toEqual(expected);
    expect(items.map((i) => i.source)).toEqual(Array(expected.size).fill('estimated'));
    // Billed and unbilled totals stay as they were; asking for estimates adds exactly their sum.
    const billed = await store.costs.aggregate(all, ['account'], window);
    const simTotal = await truth<{ total: string }>('/_sim/ground-truth?account=global-us&from=2026-10-01&to=2026-11-30');
    expect(billed.map((c) => c.amount)).toEqual([new Decimal(simTotal.total).toFixed()]);
    const withEstimates = await store.costs.aggregate(all, ['account'], { ...window, includeEstimated: true });
    const estimated = [...expected.values()].reduce((s, v) => s.plus(v), new Decimal(0));
    expect(new Decimal(withEstimates[0].amount).minus(billed[0].amount).toFixed()).toBe(estimated.toFixed());
    expect(estimated.gt(0)).toBe(true);
  });

  it('is idempotent: estimating again leaves the same rows', async () => {
    const count = async () => Number((await store.dataSource.query("SELECT count(*) AS n FROM cost_line_item WHERE x_source = 'estimated'"))[0].n);
    const before = await count();
    expect((await sync.runStream('global-us', 'legacy-utilization')).status).toBe('succeeded');
    expect(await count()).toBe(before);
    expect(before).toBeGreaterThan(0);
  });
});
