import { billingCrossRates } from './billing-rates';
import { findRate, type FxRate } from './currency';
import { MoneyDecimal, toDecimal } from './decimal';

const ms = (quote: string, period: string, rate: string, locked = true): FxRate => ({
  base: 'USD',
  quote,
  period,
  rate,
  source: 'microsoft',
  locked,
});
const quotient = (num: string, den: string) =>
  toDecimal(num)
    .dividedBy(toDecimal(den))
    .toDecimalPlaces(12, MoneyDecimal.ROUND_HALF_EVEN)
    .toFixed()
    .replace(/\.?0+$/, '');

describe('cross rates between billing currencies through the pricing currency', () => {
  const rates = [
    ms('EUR', '2026-10', '0.8854'),
    ms('CNY', '2026-10', '7.1043'),
    ms('EUR', '2026-11', '0.9012', false),
    ms('CNY', '2026-11', '7.0501', false),
  ];

  it.each([
    ['CNY', 'EUR', '2026-10', quotient('0.8854', '7.1043'), true],
    ['EUR', 'CNY', '2026-10', quotient('7.1043', '0.8854'), true],
    ['CNY', 'EUR', '2026-11', quotient('0.9012', '7.0501'), false],
  ] as const)('%s→%s in %s is (USD→%s)/(USD→%s) rounded half-even to 12 places', (from, to, period, expected, locked) => {
    const cross = billingCrossRates(rates).find((r) => r.base === from && r.quote === to && r.period === period);
    expect(cross).toMatchObject({ rate: expected, via: 'USD', locked, source: 'microsoft' });
    // The resolver used by conversions gives the same factor.
    expect(findRate(rates, from, to, period, ['USD'])).toMatchObject({ factor: expected, how: 'via USD', source: 'microsoft' });
  });

  it('rounds the quotient once, half-even, at the 12th decimal', () => {
    // 1 / 3 = 0.333333333333|33… → 12 places; 2 / 3 = 0.666666666666|67 → rounds up.
    const cross = billingCrossRates([ms('AAA', '2026-10', '3'), ms('BBB', '2026-10', '1'), ms('CCC', '2026-10', '2')]);
    expect(cross.find((r) => r.base === 'AAA' && r.quote === 'BBB')?.rate).toBe('0.333333333333');
    expect(cross.find((r) => r.base === 'AAA' && r.quote === 'CCC')?.rate).toBe('0.666666666667');
    expect(cross.find((r) => r.base === 'BBB' && r.quote === 'AAA')?.rate).toBe('3');
  });

  it('gives no cross rate between months or without a shared pricing currency', () => {
    const cross = billingCrossRates([
      ms('EUR', '2026-10', '0.9'),
      ms('CNY', '2026-11', '7'),
      { ...ms('GBP', '2026-10', '0.8'), base: 'EUR' },
    ]);
    expect(cross).toEqual([]);
  });
});
