import { GroupedSum, sumDecimals } from '@meridian/finops';
import { AccessScope } from '../access-scope';
import { CostRow } from '../entities/cost-line-item.entity';
import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { createTestStore, sampleCostRow, TestStore } from '../testing';

/**
 * A breakdown of thousands of cells is built a slice at a time (issue 15: no event-loop block over
 * 50 ms): the limb cells, the grouped sum and the per-currency totals. The answer must be exactly the
 * one computed in one go from the raw rows. (That the loop stays free is measured on the built api:
 * apps/api/src/event-loop-free-during-sync-and-dashboard-queries.int.spec.ts.)
 */
describe.each(['sqlite', 'postgres'] as const)('a breakdown of thousands of meters on %s', (kind) => {
  let test: TestStore;
  let store: Store;
  const rows: CostRow[] = [];
  const OCTOBER = { from: '2026-10-01', to: '2026-10-31', includeSandbox: false };

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 7)));
    for (const [id, currency] of [['acc-a', 'EUR'], ['acc-b', 'USD']] as const) {
      await store.accounts.upsertConnection(
        { id, name: id, cloud: 'global', tenantId: `t-${id}`, appId: `app-${id}`, secret: `s-${id}`, apiBaseUrl: 'http://x', tokenUrl: 'http://x/token', tokenResource: 'r', currency, sandbox: false },
        { userId: null, via: 'test' },
      );
    }
    // 3,000 meters per account, one to three rows each, amounts of up to 10 decimals (some negative, some equal).
    for (const [account, currency] of [['acc-a', 'EUR'], ['acc-b', 'USD']] as const) {
      for (let m = 0; m < 3000; m++) {
        for (let k = 0; k <= m % 3; k++) {
          const cents = ((m * 7919 + k * 104729) % 1_000_000) - (m % 17 === 0 ? 600_000 : 0);
          const billedCost = m % 101 === 0 ? '5' : `${(cents / 1e4).toFixed(4)}${String((m * 31 + k) % 1_000_000).padStart(6, '0')}`;
          rows.push(sampleCostRow({ billingAccountId: account, billingCurrency: currency, xMeterId: `meter-${m}`, chargePeriodStart: `2026-10-${String(1 + ((m + k) % 28)).padStart(2, '0')}`, billedCost }));
        }
      }
    }
    for (let i = 0; i < rows.length; i += 2000) await store.costs.upsert(rows.slice(i, i + 2000));
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await test?.drop();
  });

  it('equals the grouped sum of the raw rows, rows and per-currency totals, from the aggregates and from the raw rows', async () => {
    const expected = new GroupedSum<'meter'>(['meter']);
    for (const r of rows) expected.add({ meter: r.xMeterId }, r.billingCurrency, r.billedCost);
    const fromAggregates = await store.costs.breakdown(AccessScope.all(), ['meter'], OCTOBER);
    const fromRaw = await store.costs.breakdown(AccessScope.all(), ['meter'], { ...OCTOBER, readFrom: 'raw' });
    const want = { rows: expected.result(), totals: expected.totals() };
    expect(want.rows).toHaveLength(6000);
    expect(want.totals).toEqual(['EUR', 'USD'].map((c) => ({ currency: c, amount: sumDecimals(rows.filter((r) => r.billingCurrency === c).map((r) => r.billedCost)) })));
    expect(fromAggregates).toEqual(want);
    expect(fromRaw).toEqual(want);
  });
});
