import { AccessScope } from '../access-scope';
import { CostRow } from '../entities/cost-line-item.entity';
import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { createTestStore, sampleCostRow, TestStore } from '../testing';
import { ESTIMATED_SOURCE } from './cost.repository';

const row = sampleCostRow;

describe.each(['sqlite', 'postgres'] as const)('legacy estimates on %s', (kind) => {
  let test: TestStore;
  let store: Store;
  const all = AccessScope.all();
  const window = { from: '2026-11-01', to: '2026-11-30', includeSandbox: true };
  const est = (day: string, cost: string, over: Partial<CostRow> = {}) =>
    row({ xSource: ESTIMATED_SOURCE, subAccountId: 'legacy-1', chargePeriodStart: day, billingPeriodStart: '2026-11-01', billedCost: cost, effectiveCost: cost, xListCost: cost, ...over });

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 7)));
    await store.costs.upsert([row({ chargePeriodStart: '2026-11-02', billingPeriodStart: '2026-11-01', billedCost: '10.5' })]);
    await store.costs.replaceEstimated('acc-a', 'legacy-1', '2026-11-01', [est('2026-11-02', '0.000000000000000001'), est('2026-11-03', '2')]);
    await store.rollups.refreshPeriod('acc-a', '2026-11-01');
  });
  afterAll(async () => {
    await store.close();
    await test.drop();
  });

  it.each([['rollup'], ['raw']] as const)('leaves estimates out of %s aggregates unless asked, exactly', async (readFrom) => {
    const filter = { ...window, ...(readFrom === 'raw' ? { readFrom: 'raw' as const } : {}) };
    const groups = readFrom === 'raw' ? (['meter'] as const) : (['account'] as const);
    expect((await store.costs.aggregate(all, [...groups], filter)).map((c) => c.amount)).toEqual(['10.5']);
    expect((await store.costs.aggregate(all, [...groups], { ...filter, includeEstimated: true })).map((c) => c.amount)).toEqual(['12.500000000000000001']);
    const byInvoice = await store.costs.aggregate(all, ['invoice', 'day'], { ...window, includeEstimated: true });
    expect(byInvoice.map((c) => [c.keys[1], c.amount]).sort()).toEqual([['2026-11-02', '10.500000000000000001'], ['2026-11-03', '2']]);
  });

  it('lists estimated line items only when asked, flagged by their source', async () => {
    expect((await store.costs.lineItems(all, window, { limit: 10 })).map((r) => r.source)).toEqual(['unbilled']);
    const items = await store.costs.lineItems(all, { ...window, includeEstimated: true }, { limit: 10 });
    expect(items.map((r) => r.source).sort()).toEqual(['estimated', 'estimated', 'unbilled']);
  });

  it('replaces a subscription period’s estimates whole, leaving billed and unbilled rows alone', async () => {
    await store.costs.replaceEstimated('acc-a', 'legacy-1', '2026-11-01', [est('2026-11-03', '3')]);
    await store.rollups.refreshPeriod('acc-a', '2026-11-01');
    const cells = await store.costs.aggregate(all, ['account'], { ...window, includeEstimated: true });
    expect(cells.map((c) => c.amount)).toEqual(['13.5']);
    await expect(store.costs.replaceEstimated('acc-a', 'legacy-1', '2026-11-01', [row({})])).rejects.toThrow(/every row must be an estimate/);
  });
});
