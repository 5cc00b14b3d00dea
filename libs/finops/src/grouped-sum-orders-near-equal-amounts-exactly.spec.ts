import { sumDecimals, toDecimal } from './decimal';
import { GroupedSum } from './grouped-sum';

// GroupedSum sorts by doubles first and falls back to exact decimals only when the doubles are
// equal: amounts that differ beyond a double's precision must still come out in exact order.
describe('GroupedSum orders near-equal amounts exactly', () => {
  it('tells apart amounts that are the same double', () => {
    const g = new GroupedSum(['meter'] as const);
    g.add({ meter: 'a' }, 'USD', '0.1');
    g.add({ meter: 'b' }, 'USD', '0.10000000000000000001');
    g.add({ meter: 'c' }, 'USD', '0.09999999999999999999');
    g.add({ meter: 'd' }, 'USD', '0.1000000000000000000100');
    expect(g.result().map((r) => [r.keys.meter, r.amount])).toEqual([
      ['b', '0.10000000000000000001'],
      ['d', '0.10000000000000000001'],
      ['a', '0.1'],
      ['c', '0.09999999999999999999'],
    ]);
  });

  it('sorts thousands of random groups as an all-decimal sort would, and sums groups fed twice', () => {
    let seed = 99;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const g = new GroupedSum(['meter'] as const);
    const expected = new Map<string, string[]>();
    for (let i = 0; i < 3000; i++) {
      const meter = `m-${Math.floor(rnd() * 2500)}`;
      const currency = rnd() < 0.5 ? 'USD' : 'EUR';
      const amount = (rnd() < 0.1 ? '-' : '') + (rnd() * 1000).toFixed(Math.floor(rnd() * 22)) + (rnd() < 0.1 ? '000' : '');
      g.add({ meter }, currency, amount);
      const id = `${currency}|${meter}`;
      expected.set(id, [...(expected.get(id) ?? []), amount]);
    }
    const reference = [...expected]
      .map(([id, amounts]) => ({ currency: id.split('|')[0], meter: id.split('|')[1], amount: sumDecimals(amounts) }))
      .sort((a, b) => a.currency.localeCompare(b.currency) || toDecimal(b.amount).comparedTo(toDecimal(a.amount)) || JSON.stringify({ meter: a.meter }).localeCompare(JSON.stringify({ meter: b.meter })));
    expect(g.result().map((r) => [r.currency, r.keys.meter, r.amount])).toEqual(reference.map((r) => [r.currency, r.meter, r.amount]));
  });

  it('gives the same result in slices, pausing every given number of groups', async () => {
    const g = new GroupedSum(['meter'] as const);
    for (let i = 0; i < 2500; i++) g.add({ meter: `m-${i % 1700}` }, i % 3 ? 'USD' : 'EUR', `${(i * 713) % 10007}.${i % 10}`);
    let pauses = 0;
    const sliced = await g.resultInSlices(async () => void pauses++, 500);
    expect(sliced).toEqual(g.result());
    expect(pauses).toBe(Math.ceil(g.result().length / 500));
  });

  it('normalises a group fed once, and refuses a bad amount where it is added', () => {
    const g = new GroupedSum(['meter'] as const);
    g.add({ meter: 'a' }, 'USD', '1.50');
    g.add({ meter: 'b' }, 'USD', '-0');
    g.add({ meter: 'c' }, 'USD', '2e-8');
    expect(g.result().map((r) => r.amount)).toEqual(['1.5', '0.00000002', '0']);
    expect(g.totals()).toEqual([{ currency: 'USD', amount: '1.50000002' }]);
    expect(() => g.add({ meter: 'd' }, 'USD', 'twelve')).toThrow(/not a decimal number/);
  });

  it('sumDecimals of one value gives that value normalised', () => {
    expect(sumDecimals(['12.3400'])).toBe('12.34');
    expect(sumDecimals(['-0.0'])).toBe('0');
    expect(sumDecimals(['98765432109.87654321'])).toBe('98765432109.87654321');
    expect(() => sumDecimals(['1,5'])).toThrow(/not a decimal number/);
  });
});
