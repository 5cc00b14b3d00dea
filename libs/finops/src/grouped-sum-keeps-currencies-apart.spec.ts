import { GroupedSum } from './grouped-sum';

describe('GroupedSum keeps currencies apart', () => {
  it('never adds EUR to USD, even for the same service and region', () => {
    const g = new GroupedSum(['service', 'region'] as const);
    g.add({ service: 'Storage', region: 'westeurope' }, 'EUR', '1.10');
    g.add({ service: 'Storage', region: 'westeurope' }, 'USD', '2.20');
    g.add({ service: 'Storage', region: 'westeurope' }, 'EUR', '0.20');
    expect(g.result()).toEqual([
      { keys: { service: 'Storage', region: 'westeurope' }, currency: 'EUR', amount: '1.3', count: 2 },
      { keys: { service: 'Storage', region: 'westeurope' }, currency: 'USD', amount: '2.2', count: 1 },
    ]);
    expect(g.totals()).toEqual([
      { currency: 'EUR', amount: '1.3' },
      { currency: 'USD', amount: '2.2' },
    ]);
  });

  it('orders groups by amount within a currency and ignores keys it was not asked for', () => {
    const g = new GroupedSum(['service'] as const);
    g.add({ service: 'A', region: 'x' } as never, 'USD', '1');
    g.add({ service: 'B', region: 'y' } as never, 'USD', '5');
    expect(g.result().map((r) => [r.keys, r.amount])).toEqual([
      [{ service: 'B' }, '5'],
      [{ service: 'A' }, '1'],
    ]);
  });

  it.each([
    ['values that run together when joined', { a: 'x1:y', b: '' }, { a: 'x', b: '1:y' }],
    ['a separator-like text inside a value', { a: '3:abc', b: '0:' }, { a: '3:abc0:', b: '' }],
    ['an empty value and a missing one', { a: 'x', b: '' }, { a: 'x', b: undefined }],
    ['the currency running into the first key', { a: '', b: 'k' }, { a: 'D', b: 'k' }],
  ])('keeps groups apart whose keys could collide: %s', (_, first, second) => {
    const g = new GroupedSum(['a', 'b'] as const);
    g.add(first as never, 'USD', '1');
    g.add(second as never, second.a === 'D' ? 'US' : 'USD', '2');
    expect(g.result().map((r) => [r.keys, r.currency, r.amount])).toEqual([
      [second, second.a === 'D' ? 'US' : 'USD', '2'],
      [first, 'USD', '1'],
    ]);
  });

  it('still adds up the same keys fed twice', () => {
    const g = new GroupedSum(['a', 'b'] as const);
    g.add({ a: 'x:1', b: '' }, 'USD', '1.5');
    g.add({ a: 'x:1', b: '' }, 'USD', '2.25', 3);
    expect(g.result()).toEqual([{ keys: { a: 'x:1', b: '' }, currency: 'USD', amount: '3.75', count: 4 }]);
  });
});
