import { deriveBillingRates, type BillingRateObservation } from './billing-rates';

const obs = (pair: string, period: string, rate: string, o: Partial<BillingRateObservation> = {}): BillingRateObservation => {
  const [pricingCurrency, billingCurrency] = pair.split('>');
  return { pricingCurrency, billingCurrency, period, rate, rateDate: `${period}-01`, billed: true, rows: 10, ...o };
};

describe('Microsoft billing rates derived from line items', () => {
  it.each([
    {
      name: 'one rate per pair and month, rows counted across groups',
      input: [obs('USD>EUR', '2026-10', '0.8854'), obs('USD>EUR', '2026-10', '0.8854', { rows: 5 })],
      rates: [{ base: 'USD', quote: 'EUR', period: '2026-10', rate: '0.8854', locked: true, rows: 15, rateDates: ['2026-10-01'] }],
      conflicts: [],
    },
    {
      name: 'the same value written differently is one rate',
      input: [obs('USD>EUR', '2026-10', '0.8854'), obs('USD>EUR', '2026-10', '0.88540')],
      rates: [{ base: 'USD', quote: 'EUR', period: '2026-10', rate: '0.8854', rows: 20 }],
      conflicts: [],
    },
    {
      name: 'each month keeps its own rate',
      input: [obs('USD>EUR', '2026-11', '0.9012', { billed: false }), obs('USD>EUR', '2026-10', '0.8854')],
      rates: [
        { period: '2026-10', rate: '0.8854', locked: true },
        { period: '2026-11', rate: '0.9012', locked: false },
      ],
      conflicts: [],
    },
    {
      name: 'a month is locked only when every row of it is billed',
      input: [obs('USD>EUR', '2026-10', '0.8854'), obs('USD>EUR', '2026-10', '0.8854', { billed: false })],
      rates: [{ period: '2026-10', locked: false }],
      conflicts: [],
    },
    {
      name: 'same-currency rows carry no rate',
      input: [obs('USD>USD', '2026-10', '1'), obs('CNY>CNY', '2026-10', '1')],
      rates: [],
      conflicts: [],
    },
    {
      name: 'rows that disagree are a conflict, listed with every rate seen, and give no rate',
      input: [
        obs('USD>EUR', '2026-10', '0.8854', { rows: 7 }),
        obs('USD>EUR', '2026-10', '0.8801', { rateDate: '2026-10-15', rows: 3 }),
        obs('USD>CNY', '2026-10', '7.1'),
      ],
      rates: [{ base: 'USD', quote: 'CNY', period: '2026-10', rate: '7.1' }],
      conflicts: [
        {
          pair: 'USD/EUR',
          period: '2026-10',
          observed: [
            { rate: '0.8801', rateDates: ['2026-10-15'], rows: 3 },
            { rate: '0.8854', rateDates: ['2026-10-01'], rows: 7 },
          ],
        },
      ],
    },
  ])('$name', ({ input, rates, conflicts }) => {
    const derived = deriveBillingRates(input);
    expect(derived.rates).toEqual(rates.map((r) => expect.objectContaining({ source: 'microsoft', ...r })));
    expect(derived.conflicts).toEqual(conflicts);
  });
});
