import { deriveBillingRates } from '@meridian/finops';
import { AccessScope } from '../access-scope';
import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { createTestStore, sampleCostRow, TestStore } from '../testing';

describe.each(['sqlite', 'postgres'] as const)('billing rates and organisation settings on %s', (kind) => {
  let test: TestStore;
  let store: Store;

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 7)));
    const eu = (day: string, rate: string, over = {}) =>
      sampleCostRow({ chargePeriodStart: day, xExchangeRate: rate, xExchangeRateDate: `${day.slice(0, 7)}-01`, ...over });
    await store.costs.upsert([
      eu('2026-10-03', '0.8854', { xSource: 'billed', invoiceId: 'G1' }),
      eu('2026-10-04', '0.88540', { xSource: 'billed', invoiceId: 'G1' }),
      eu('2026-11-02', '0.9012'),
      eu('2026-11-03', '0.9013', { billingAccountId: 'acc-b' }),
      eu('2026-11-04', '1', { billingAccountId: 'acc-c', billingCurrency: 'USD' }),
      eu('2026-11-05', '1', { billingAccountId: 'acc-a', xSource: 'estimated' }),
      eu('2026-09-30', '0.8', { billingAccountId: 'acc-a' }),
    ]);
  });
  afterAll(async () => {
    await store.close();
    await test.drop();
  });

  it('reads each pair, month and rate exactly, and leaves same-currency, estimated and out-of-range rows out', async () => {
    const obs = await store.billingRates.observations(AccessScope.all(), { from: '2026-10', to: '2026-11' });
    const { rates, conflicts } = deriveBillingRates(obs);
    expect(rates.map((r) => [r.base, r.quote, r.period, r.rate, r.locked, r.rows])).toEqual([['USD', 'EUR', '2026-10', '0.8854', true, 2]]);
    expect(conflicts).toEqual([
      {
        pair: 'USD/EUR',
        period: '2026-11',
        observed: [
          { rate: '0.9012', rateDates: ['2026-11-01'], rows: 1 },
          { rate: '0.9013', rateDates: ['2026-11-01'], rows: 1 },
        ],
      },
    ]);
  });

  it("sees only the caller's accounts", async () => {
    const { rates, conflicts } = deriveBillingRates(
      await store.billingRates.observations(AccessScope.accounts(['acc-a']), { from: '2026-10', to: '2026-11' }),
    );
    expect(rates.map((r) => [r.period, r.rate, r.locked])).toEqual([
      ['2026-10', '0.8854', true],
      ['2026-11', '0.9012', false],
    ]);
    expect(conflicts).toEqual([]);
    expect(await store.billingRates.observations(AccessScope.accounts([]), { from: '2026-10', to: '2026-11' })).toEqual([]);
  });

  it('keeps organisation settings and audits each change from → to', async () => {
    expect((await store.settings.all()).values).toEqual({});
    await store.settings.update({ reportingCurrency: 'EUR', rateSources: ['manual', 'microsoft', 'ecb'] }, { userId: 'u-1' });
    await store.settings.update({ reportingCurrency: 'EUR', rateSources: ['microsoft'] }, { userId: 'u-2' });
    const now = await store.settings.all();
    expect(now.values).toEqual({ reportingCurrency: 'EUR', rateSources: ['microsoft'] });
    expect(now.updatedBy).toBe('u-2');
    const audit = (await store.audit.list(10)).filter((e) => e.action === 'settings.update');
    expect(audit.map((e) => JSON.parse(e.details))).toEqual(
      expect.arrayContaining([
        { rateSources: { from: ['manual', 'microsoft', 'ecb'], to: ['microsoft'] } },
        { reportingCurrency: { from: null, to: 'EUR' }, rateSources: { from: null, to: ['manual', 'microsoft', 'ecb'] } },
      ]),
    );
  });
});
