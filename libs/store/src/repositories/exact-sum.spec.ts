import { sumDecimals } from '@meridian/finops';
import { exactSum } from './exact-sum';

describe('exactSum (the rollup of SQLite)', () => {
  it.each([
    [[]],
    [['0.1', '0.2']],
    [['-0.1', '0.1']],
    [['1.50', '2.250']],
    [['-5', '2.5']],
    [['0.00000001', '100000000000']],
    [['12345678901234567890.123456789012345678901', '-0.000000000000000000001']],
    // beyond 60 significant digits: decimal.js rounds, and so does exactSum (it defers to it)
    [['123456789012345678901234567890.123456789012345678901234567891', '1']],
    [['1e-3', '2']],
  ])('%j', (values) => {
    expect(exactSum(values)).toBe(sumDecimals(values));
  });

  it('matches sumDecimals on 3,000 random lists (seeded)', () => {
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
    const num = () => {
      const int = rand() < 0.5 ? '0' : String(1 + Math.floor(rand() * 9)) + digits(Math.floor(rand() * 15));
      const frac = rand() < 0.2 ? '' : digits(1 + Math.floor(rand() * 30)).replace(/0+$/, '');
      return (rand() < 0.3 ? '-' : '') + int + (frac ? `.${frac}` : '');
    };
    for (let i = 0; i < 3000; i++) {
      const values = Array.from({ length: Math.floor(rand() * 40) }, num);
      expect(exactSum(values)).toBe(sumDecimals(values));
    }
  });
});
