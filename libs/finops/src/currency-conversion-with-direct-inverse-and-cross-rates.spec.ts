import { convertAmounts, findRate, MissingRatesError, monthlyRatesFromEcbCsv, type FxRate } from './currency';

const rate = (base: string, quote: string, period: string, value: string, locked = true): FxRate => ({ base, quote, period, rate: value, source: 'test', locked });
const RATES = [rate('EUR', 'USD', '2026-10', '1.08'), rate('EUR', 'CNY', '2026-10', '7.7'), rate('USD', 'EUR', '2026-11', '0.9', false)];

describe('exchange rates', () => {
  it.each([
    ['same currency', 'USD', 'USD', '2026-10', '1', 'identity'],
    ['direct', 'EUR', 'USD', '2026-10', '1.08', 'direct'],
    ['inverse, rounded to 12 places', 'USD', 'EUR', '2026-10', '0.925925925926', 'inverse'],
    ['cross through EUR', 'CNY', 'USD', '2026-10', '0.14025974026', 'via EUR'],
    ['cross the other way', 'USD', 'CNY', '2026-10', '7.12962962963', 'via EUR'],
    ['the month matters', 'USD', 'EUR', '2026-11', '0.9', 'direct'],
  ] as const)('%s: %s→%s in %s', (_n, from, to, period, factor, how) => {
    expect(findRate(RATES, from, to, period)).toMatchObject({ factor, how });
  });

  it('converts each amount at its month and never invents a rate', () => {
    const r = convertAmounts(
      [
        { currency: 'EUR', period: '2026-10', amount: '100' },
        { currency: 'USD', period: '2026-11', amount: '10.5' },
        { currency: 'USD', period: '2026-11', amount: '0.01' },
      ],
      'USD',
      RATES,
    );
    expect(r.amounts).toEqual(['108', '10.5', '0.01']);
    expect(r.applied.map((a) => [a.from, a.to, a.period, a.factor])).toEqual([['EUR', 'USD', '2026-10', '1.08']]);
  });

  it('names every missing pair and month at once', () => {
    try {
      convertAmounts(
        [
          { currency: 'CNY', period: '2026-09', amount: '1' },
          { currency: 'EUR', period: '2026-12', amount: '1' },
          { currency: 'CNY', period: '2026-09', amount: '2' },
        ],
        'USD',
        RATES,
      );
      throw new Error('expected MissingRatesError');
    } catch (e) {
      expect(e).toBeInstanceOf(MissingRatesError);
      expect((e as MissingRatesError).missing).toEqual([
        { pair: 'CNY/USD', period: '2026-09' },
        { pair: 'EUR/USD', period: '2026-12' },
      ]);
    }
  });

  it('reads the ECB CSV layout into monthly means, reporting bad lines', () => {
    const csv = ['Date,USD,CNY,XX1,', '2026-10-30,1.0800,7.7000,N/A,', '2026-10-29,1.0900,N/A,1,', '2026-09-30,1.1,7.8,,', 'yesterday,1,2,,', '2026-02-30,1,2,,', '2026-09-29,-1,7.9,,'].join('\n');
    const { rates, errors } = monthlyRatesFromEcbCsv(csv);
    expect(rates).toEqual([
      { base: 'EUR', quote: 'CNY', period: '2026-09', rate: '7.85' },
      { base: 'EUR', quote: 'CNY', period: '2026-10', rate: '7.7' },
      { base: 'EUR', quote: 'USD', period: '2026-09', rate: '1.1' },
      { base: 'EUR', quote: 'USD', period: '2026-10', rate: '1.085' },
    ]);
    expect(errors).toEqual([
      { line: 1, message: 'column 4: "XX1" is not a currency code' },
      { line: 5, message: 'Date: expected YYYY-MM-DD, got "yesterday"' },
      { line: 6, message: 'Date: expected YYYY-MM-DD, got "2026-02-30"' },
      { line: 7, message: 'USD: not a positive rate ("-1")' },
    ]);
    expect(monthlyRatesFromEcbCsv('USD,CNY\n1,2').errors[0].line).toBe(1);
  });
});
