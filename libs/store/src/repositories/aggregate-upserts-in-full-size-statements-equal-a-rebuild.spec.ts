import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { aggregateSnapshot, createTestStore, sampleCostRow, TestStore } from '../testing';
import { PG_ROWS_PER_STATEMENT } from './sql-dialect';

/**
 * A page whose groups fill several aggregate statements: on PostgreSQL they go out as full-size
 * named (prepared) statements of PG_ROWS_PER_STATEMENT groups plus one shorter statement, and a
 * second page reuses the prepared ones on existing groups. The aggregates stay equal to a rebuild
 * from the raw rows, to the last digit.
 */
describe.each(['sqlite', 'postgres'] as const)('aggregate upserts in full-size statements on %s', (kind) => {
  let test: TestStore;
  let store: Store;

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 5)));
    await store.accounts.upsertConnection(
      { id: 'acc-a', name: 'acc-a', cloud: 'global', tenantId: 't', appId: 'app', secret: 's', apiBaseUrl: 'http://x', tokenUrl: 'http://x/token', tokenResource: 'r', currency: 'EUR', sandbox: false },
      { userId: null, via: 'test' },
    );
  });

  afterAll(async () => {
    await store?.close();
    await test?.drop();
  });

  const row = (i: number, cents: number) =>
    sampleCostRow({
      billingAccountId: 'acc-a',
      billingCurrency: 'EUR',
      xNaturalKey: `k-${i}`,
      xCustomerId: `c-${i % 7}`,
      subAccountId: `s-${i % 40}`,
      serviceName: `Service ${i % 9}`,
      regionId: `region-${i % 5}`,
      // A resource group, a meter and a tag value per row: a page of them is that many groups.
      xResourceGroup: `rg-${i}`,
      xMeterId: `m-${i}`,
      tags: JSON.stringify({ cc: `v-${i}` }),
      billedCost: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}0000000${i % 10}`,
      xListCost: `${cents}.123456`,
      chargePeriodStart: `2026-06-${String(1 + (i % 28)).padStart(2, '0')}`,
      billingPeriodStart: '2026-06-01',
      xSource: 'unbilled',
      invoiceId: null,
      xSyncRunId: 'run-1',
    });

  it('equal a rebuild after a first page and a page that changes and adds groups', async () => {
    const first = 2 * PG_ROWS_PER_STATEMENT + 300;
    await store.costs.upsert(Array.from({ length: first }, (_, i) => row(i, 1000 + i)));
    // The same keys with other amounts (existing groups), and new ones.
    await store.costs.upsert(Array.from({ length: first + 700 }, (_, i) => row(i, 5000 + 3 * i)));
    const incremental = await aggregateSnapshot(store);
    const meterGroups = incremental.filter((line) => line.includes('|m-')).length;
    expect(meterGroups).toBeGreaterThan(3 * PG_ROWS_PER_STATEMENT);
    await store.rollups.rebuild();
    expect(await aggregateSnapshot(store)).toEqual(incremental);
  }, 120_000);
});
