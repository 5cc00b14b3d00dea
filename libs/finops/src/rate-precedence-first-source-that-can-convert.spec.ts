import { convertAmounts, MissingRatesError, resolveRate, type FxRate, type RateSourceLayer } from './currency';
import { rateSourceLayers, rateSourceOrder } from './rate-sources';

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
  ] as const)('%s', (_name, layers, from, to, expected) => {
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

describe('the organisation order as layers', () => {
  const table = [r('manual', 'EUR', 'USD', '1.1'), r('ecb-csv', 'EUR', 'CNY', '7.7'), r('ecb-csv', 'EUR', 'USD', '1.08')];
  const billing = [{ ...r('microsoft', 'USD', 'EUR', '0.8854'), rateDates: ['2026-10-01'], rows: 3 }];

  it.each([
    ['stored order kept', ['ecb-csv', 'microsoft'], ['ecb-csv', 'microsoft']],
    ['unknown and repeated names dropped', ['oanda', 'manual', 'manual'], ['manual']],
    ['nothing stored: the default', undefined, ['manual', 'microsoft', 'ecb-csv']],
    ['nothing known: the default', ['oanda'], ['manual', 'microsoft', 'ecb-csv']],
  ])('%s', (_name, stored, expected) => {
    expect(rateSourceOrder(stored)).toEqual(expected);
  });

  it('splits the table by source, pivots Microsoft through its pricing currencies, and ends with the table sources together', () => {
    const layers = rateSourceLayers(['manual', 'microsoft', 'ecb-csv'], table, billing);
    expect(layers.map((l) => [l.source, l.rates.length, l.pivots])).toEqual([
      ['manual', 1, ['EUR']],
      ['microsoft', 1, ['USD']],
      ['ecb-csv', 2, ['EUR']],
      ['manual+ecb-csv', 3, ['EUR']],
    ]);
    // CNY→USD: manual lacks EUR→CNY, Microsoft lacks CNY; ECB has both legs and wins before the mix.
    expect(resolveRate(layers, 'CNY', 'USD', '2026-10')).toMatchObject({ source: 'ecb-csv', factor: '0.14025974026' });
    // Without ECB's own EUR→USD, the last layer crosses a manual and an ECB leg, and says so.
    const mixed = rateSourceLayers(['manual', 'ecb-csv'], table.slice(0, 2), []);
    expect(resolveRate(mixed, 'CNY', 'USD', '2026-10')).toMatchObject({
      source: 'ecb-csv+manual',
      how: 'via EUR',
      factor: '0.142857142857',
    });
  });
});
