import { convertAmounts, MissingRatesError, resolveRate, type FxRate, type RateSourceLayer } from './currency';

const r = (source: string, base: string, quote: string, rate: string, period = '2026-10', locked = true): FxRate => ({
  base,
  quote,
  period,
  rate,
  source,
  locked,
});
const manual: RateSourceLayer = { source: 'manual', rates: [r('manual', 'EUR', 'USD', '1.1')], pivots: ['EUR'] };
const microsoft: RateSourceLayer = {
  source: 'microsoft',
  rates: [r('microsoft', 'USD', 'EUR', '0.8854'), r('microsoft', 'USD', 'CNY', '7.1043', '2026-10', false)],
  pivots: ['USD'],
};
const ecb: RateSourceLayer = {
  source: 'ecb-csv',
  rates: [r('ecb-csv', 'EUR', 'USD', '1.08'), r('ecb-csv', 'EUR', 'CNY', '7.7'), r('ecb-csv', 'EUR', 'GBP', '0.87')],
  pivots: ['EUR'],
};

describe('rate precedence: the first source that can give a factor on its own', () => {
  it.each([
    ['manual first', [manual, microsoft, ecb], 'EUR', 'USD', { factor: '1.1', source: 'manual', how: 'direct' }],
    ['microsoft before ECB', [microsoft, ecb], 'EUR', 'USD', { factor: '1.129433024622', source: 'microsoft', how: 'inverse' }],
    ['ECB before microsoft', [ecb, microsoft], 'EUR', 'USD', { factor: '1.08', source: 'ecb-csv', how: 'direct' }],
    [
      'a cross stays within one source',
      [manual, microsoft, ecb],
      'CNY',
      'EUR',
      { factor: '0.124628745971', source: 'microsoft', how: 'via USD' },
    ],
    [
      'falls through to a source that has the pair',
      [manual, microsoft, ecb],
      'GBP',
      'USD',
      { factor: '1.241379310345', source: 'ecb-csv', how: 'via EUR' },
    ],
    ['same currency needs no rate', [], 'EUR', 'EUR', { factor: '1', how: 'identity' }],
  ] as const)('%s: %s→%s', (_name, layers, from, to, expected) => {
    expect(resolveRate(layers, from, to, '2026-10')).toMatchObject(expected);
  });

  it('never mixes two sources into one factor: a pair no single source has is missing', () => {
    // manual has EUR→USD only, microsoft USD→CNY only: CNY→… through both is not offered.
    const layers = [manual, { ...microsoft, rates: [microsoft.rates[1]] }];
    expect(resolveRate(layers, 'CNY', 'EUR', '2026-10')).toBeNull();
    expect(() => convertAmounts([{ currency: 'CNY', period: '2026-10', amount: '1' }], 'EUR', layers)).toThrow(MissingRatesError);
  });

  it('lists the source, month and lock of each rate a conversion used', () => {
    const { amounts, applied } = convertAmounts(
      [
        { currency: 'CNY', period: '2026-10', amount: '710.43' },
        { currency: 'EUR', period: '2026-10', amount: '88.54' },
      ],
      'USD',
      [microsoft, ecb],
    );
    expect(amounts).toEqual(['100.00000000032231', '100.00000000003188']);
    expect(applied.map((a) => [a.from, a.to, a.period, a.source, a.how, a.rates.every((x) => x.locked)])).toEqual([
      ['CNY', 'USD', '2026-10', 'microsoft', 'inverse', false],
      ['EUR', 'USD', '2026-10', 'microsoft', 'inverse', true],
    ]);
  });
});
