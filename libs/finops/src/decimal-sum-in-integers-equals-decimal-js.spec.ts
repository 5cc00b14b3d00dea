import { MoneyDecimal, normalizeDecimal, sumDecimals, toDecimal } from './decimal';

// sumDecimals adds plain decimal text in integers; it must give exactly what decimal.js gives,
// including where decimal.js rounds (beyond 60 significant digits, where it falls back to it).
function decimalJs(values: string[]): string {
  let total = new MoneyDecimal(0);
  for (const v of values) total = total.plus(toDecimal(v));
  return normalizeDecimal(total);
}

describe('decimal sums in integers equal decimal.js', () => {
  it('on random lists of amounts with up to 24 decimals, signs and trailing zeros', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 300; i++) {
      const values = Array.from({ length: 2 + Math.floor(rnd() * 50) }, () => (rnd() < 0.3 ? '-' : '') + (rnd() * 10 ** Math.floor(rnd() * 10)).toFixed(Math.floor(rnd() * 25)));
      expect(sumDecimals(values)).toBe(decimalJs(values));
    }
  });

  it('beyond 60 significant digits and for exponent text, as decimal.js does', () => {
    const wide = ['9'.repeat(40) + '.' + '9'.repeat(25), '0.' + '0'.repeat(24) + '1'];
    expect(sumDecimals(wide)).toBe(decimalJs(wide));
    expect(sumDecimals(['1e-8', '2E-8', '0.5'])).toBe('0.50000003');
    expect(() => sumDecimals(['1', 'x'])).toThrow(/not a decimal number/);
  });
});
