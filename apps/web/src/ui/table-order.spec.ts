import { compareMoney, compareValues, totalsByCurrency } from './table-order';

describe('table order and totals', () => {
  it.each([
    // Decimal strings compare exactly, beyond what a double can tell apart.
    ['0.30000000000000001', '0.3', 1],
    ['9007199254740993', '9007199254740992', 1],
    ['-1.5', '-1.25', -1],
    ['10', '9.99', 1],
    ['2.50', '2.5', 0],
    // Text by locale, with numbers inside in numeric order.
    ['Account 2', 'Account 10', -1],
    ['alpha', 'Beta', -1],
    // Missing values last, whatever the other one is.
    [null, 'a', 1],
    ['', '0', 1],
    ['0', undefined, -1],
  ])('compareValues(%j, %j) has the sign %i', (a, b, sign) => {
    expect(Math.sign(compareValues(a, b))).toBe(sign);
  });

  it('orders money by currency first, then by the exact amount within it', () => {
    const rows = [
      { amount: '100', currency: 'USD' },
      { amount: '0.30000000000000001', currency: 'EUR' },
      { amount: '5', currency: 'CNY' },
      { amount: '0.3', currency: 'EUR' },
      { amount: '-2', currency: 'USD' },
    ];
    expect([...rows].sort(compareMoney)).toEqual([
      { amount: '5', currency: 'CNY' },
      { amount: '0.3', currency: 'EUR' },
      { amount: '0.30000000000000001', currency: 'EUR' },
      { amount: '-2', currency: 'USD' },
      { amount: '100', currency: 'USD' },
    ]);
    expect(compareMoney(null, { amount: '1', currency: 'EUR' })).toBeGreaterThan(0);
  });

  it('sums per currency exactly and never across currencies', () => {
    const rows = [...Array(1000).fill({ c: 'EUR', v: '0.01' }), { c: 'USD', v: '0.1' }, { c: 'USD', v: '0.2' }, { c: 'CNY', v: null }];
    expect(totalsByCurrency(rows, (r) => (r.v ? { amount: r.v, currency: r.c } : null))).toEqual([
      { currency: 'EUR', amount: '10.00' },
      { currency: 'USD', amount: '0.3' },
    ]);
  });
});
