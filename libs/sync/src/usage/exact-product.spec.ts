import { normalizeDecimal, toDecimal } from '@meridian/finops';
import { exactProduct } from './exact-product';
import { memoize } from './usage-line-item.mapper';

const viaDecimalJs = (a: string, b: string, c: string) => normalizeDecimal(toDecimal(a).times(toDecimal(b)).times(toDecimal(c)));

describe('exact list cost product', () => {
  it.each([
    ['24', '0.0416', '1'],
    ['0', '0.5', '1.2'],
    ['-0', '3', '2'],
    ['-1.5', '-2', '0.8854'],
    ['-1.5', '2', '0.8854'],
    ['0.000001', '0.00000001', '0.0001'],
    ['12345678901234567890', '0.100000000000000000001', '7.05'],
    // more than 60 significant digits in the product: decimal.js rounds, and so must we
    ['1.2345678901234567890123456789', '9.8765432109876543210987654321', '1.23456789012345678901'],
    ['100', '10', '1000'],
    ['1.50', '2', '1'],
    ['00.1', '3', '1'],
  ])('%s × %s × %s', (a, b, c) => {
    expect(exactProduct(a, b, c)).toBe(viaDecimalJs(a, b, c));
  });

  it('matches decimal.js on 20,000 random products (seeded)', () => {
    let seed = 42;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
    const num = () => {
      const int = rand() < 0.4 ? '0' : String(1 + Math.floor(rand() * 9)) + digits(Math.floor(rand() * 12));
      const frac = rand() < 0.3 ? '' : digits(Math.floor(rand() * 22)).replace(/0+$/, '');
      return (rand() < 0.2 ? '-' : '') + int + (frac ? `.${frac}` : '');
    };
    for (let i = 0; i < 20_000; i++) {
      const [a, b, c] = [num(), num(), rand() < 0.5 ? '1' : num()];
      expect(exactProduct(a, b, c)).toBe(viaDecimalJs(a, b, c));
    }
  });

  it('rejects what toDecimal rejects', () => {
    expect(() => exactProduct('abc', '1', '1')).toThrow('not a decimal number');
  });
});

describe('memoize', () => {
  it('returns what the function returns, including null, and stays bounded', () => {
    let calls = 0;
    const f = memoize((s: string) => (calls++, s === 'x' ? null : s.length), 2);
    expect([f('x'), f('x'), f('ab'), f('ab')]).toEqual([null, null, 2, 2]);
    expect(calls).toBe(2);
    f('abc'); // full: starts over
    expect(f('x')).toBeNull();
    expect(calls).toBe(4);
  });
});
