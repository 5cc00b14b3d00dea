import { sumDecimals } from './decimal';
import { tieredCost, tieredIncrement, tierShares, type TieredPrice } from './tiered-price';

const flat: TieredPrice = { rates: { '0': '0.096' }, includedQuantity: '0' };
const blob: TieredPrice = { rates: { '0': '0.0184', '51200': '0.01748' }, includedQuantity: '0' };
const bandwidth: TieredPrice = { rates: { '10240': '0.0696', '0': '0.087' }, includedQuantity: '5' };
const freeFirst: TieredPrice = { rates: { '0': '0', '100': '0.5', '1000': '0.25' }, includedQuantity: '0' };

describe('graduated tiers with an included quantity', () => {
  it.each([
    // [case, price, cumulative quantity, expected cost]
    ['flat rate', flat, '24', '2.304'],
    ['flat rate, zero quantity', flat, '0', '0'],
    ['flat rate keeps every decimal', flat, '0.000001', '0.000000096'],
    ['below the second tier', blob, '51200', '942.08'],
    ['across the second tier', blob, '51300', '943.828'],
    ['included quantity only', bandwidth, '4.5', '0'],
    ['exactly the included quantity', bandwidth, '5', '0'],
    ['past the included quantity', bandwidth, '15', '0.87'],
    ['tiers count billable units (after the included ones)', bandwidth, '10245', '890.88'],
    ['past the upper tier', bandwidth, '10255', '891.576'],
    ['thresholds given out of order', bandwidth, '20000.5', '1569.8628'],
    ['a free first tier', freeFirst, '50', '0'],
    ['three tiers', freeFirst, '1500', '575'],
  ] as const)('%s', (_case, price, quantity, expected) => {
    expect(tieredCost(quantity, price)).toBe(expected);
  });

  it.each([
    // [case, before, added, expected] on the bandwidth meter
    ['all within the free part', '0', '3', '0'],
    ['crossing the included quantity', '3', '4', '0.174'],
    ['crossing a tier (5 units each side)', '10240', '10', '0.783'],
    ['entirely in the upper tier', '20000', '100', '6.96'],
  ] as const)('increment: %s', (_case, before, added, expected) => {
    expect(tieredIncrement(before, added, bandwidth)).toBe(expected);
  });

  it('day-by-day increments add up to the cost of the month, exactly', () => {
    const days = ['1000.123456', '3000', '4500.5', '2000.000001', '700'];
    let before = '0';
    const increments: string[] = [];
    for (const q of days) {
      increments.push(tieredIncrement(before, q, bandwidth));
      before = sumDecimals([before, q]);
    }
    expect(before).toBe('11200.623457');
    expect(sumDecimals(increments)).toBe(tieredCost(before, bandwidth));
  });

  it('splits a quantity over the tiers it reaches', () => {
    expect(tierShares('10255', bandwidth)).toEqual({
      included: '5',
      cost: '891.576',
      tiers: [
        { from: '0', to: '10240', unitPrice: '0.087', quantity: '10240', cost: '890.88' },
        { from: '10240', to: null, unitPrice: '0.0696', quantity: '10', cost: '0.696' },
      ],
    });
  });

  it.each([
    ['no rates', { rates: {}, includedQuantity: '0' }, '1', /at least one rate/],
    ['no tier at 0', { rates: { '10': '1' }, includedQuantity: '0' }, '1', /lowest tier starts at 10/],
    ['a negative price', { rates: { '0': '-1' }, includedQuantity: '0' }, '1', /negative/],
    ['a negative quantity', flat, '-1', /cannot be negative/],
    ['a price that is not a number', { rates: { '0': 'N/A' }, includedQuantity: '0' }, '1', /not a decimal/],
  ] as const)('refuses %s', (_case, price, quantity, error) => {
    expect(() => tieredCost(quantity, price)).toThrow(error);
  });
});
