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
});
