import { sumDecimals, toDecimal } from '@meridian/finops';
import { AccessScope } from '@meridian/store';
import { AlertEvaluator } from './alert-evaluator';
import { dailyCostsIn } from './cost-series';
import { startAlertingHarness, testAlertingConfig } from './testing/harness';

/**
 * Alert evaluation converts like the dashboard: with the organisation's rate sources in its order
 * (docs/decisions/0018). With an empty rate table, a US Government budget in EUR converts at
 * Microsoft's own USD→EUR rate, read from the EU account's line items (every account's: evaluation
 * is the organisation's, not a user's).
 */
const AT = new Date('2026-11-25T12:00:00Z');

describe('a budget in another currency, with Microsoft billing rates', () => {
  let h: Awaited<ReturnType<typeof startAlertingHarness>>;

  beforeAll(async () => {
    h = await startAlertingHarness('sqlite', { now: AT });
    for (const account of ['usgov', 'eu']) expect((await h.sync.runStream(account, 'unbilled-usage')).status).toBe('succeeded');
  }, 180_000);
  afterAll(() => h?.close());

  it('converts each day at its month’s Microsoft rate, exactly, and evaluates without error', async () => {
    const truth = await h.simGet<{ items: { account: string; period: string; rate: string }[] }>(
      '/_sim/exchange-rates?from=2026-11&to=2026-11',
    );
    const usdToEur = truth.items.find((i) => i.account === 'eu')!.rate;
    // USD is the pricing currency: USD→EUR is Microsoft's rate itself (direct, no rounding).
    const factor = toDecimal(usdToEur);
    const filter = { from: '2026-11-01', to: '2026-11-24', includeSandbox: false, includeEstimated: false, where: {} };
    const usd = await dailyCostsIn(h.store, AccessScope.accounts(['usgov']), filter, 'USD');
    const eur = await dailyCostsIn(h.store, AccessScope.accounts(['usgov']), filter, 'EUR');
    expect(eur.map((d) => d.day)).toEqual(usd.map((d) => d.day));
    expect(eur.map((d) => d.amount)).toEqual(usd.map((d) => toDecimal(d.amount).times(factor).toFixed()));
    expect(sumDecimals(eur.map((d) => d.amount))).not.toBe('0');

    const rule = await h.store.alertRules.create(
      {
        name: 'US Gov in EUR',
        kind: 'budget',
        budget: {
          scope: { kind: 'account', accountId: 'usgov' },
          period: 'monthly',
          amount: '10',
          currency: 'EUR',
          thresholds: [{ percent: 100, basis: 'actual' }],
        },
      },
      { userId: null },
    );
    const result = await new AlertEvaluator(h.store, testAlertingConfig(null)).evaluate({ at: AT });
    expect(result.errors).toEqual([]);
    const [event] = (await h.store.alertEvents.list(AccessScope.all(), { ruleId: rule.id })).items;
    expect(event).toMatchObject({ thresholdId: 'actual:100', value: { currency: 'EUR' } });

    // Without Microsoft in the organisation's sources, the same budget names the missing pair.
    await h.store.settings.update({ rateSources: ['manual', 'ecb-csv'] }, { userId: null });
    const refused = await new AlertEvaluator(h.store, testAlertingConfig(null)).evaluate({ at: new Date('2026-11-25T13:00:00Z') });
    expect(refused.errors).toEqual([{ ruleId: rule.id, error: expect.stringMatching(/missing exchange rates: .*USD\/EUR for 2026-11/) }]);
  });
});
