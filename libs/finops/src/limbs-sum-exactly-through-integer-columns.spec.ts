import { MoneyDecimal, normalizeDecimal, sumDecimals, toDecimal } from './decimal';
import { fromLimbSums, toLimbs } from './limbs';

describe('decimal ↔ integer limbs', () => {
  it.each([
    ['0', ['0', '0', '0']],
    ['1', ['1000000', '0', '0']],
    ['2.04', ['2040000', '0', '0']],
    ['0.085', ['85000', '0', '0']],
    ['0.0000001', ['0', '100000000', '0']],
    ['12.345678901234567890123456', null],
    ['-0.01', ['-10000', '0', '0']],
    ['-0.0000001', ['-1', '900000000', '0']],
    ['123456789.123456789012345678901234', ['123456789123456', '789012345', '678901234']],
    ['-0.0000000000000000000000019', ['-1', '999999999', '999999998']],
    ['0.000000000000000000000001', ['0', '0', '1']],
  ] as const)('%s', (value, expected) => {
    const limbs = toLimbs(value);
    if (expected) expect(limbs).toEqual(expected);
    for (const l of limbs.slice(1)) expect(BigInt(l) >= 0n && BigInt(l) < 1_000_000_000n).toBe(true);
    // Exact up to the 24th decimal place; beyond it, floored.
    expect(fromLimbSums(...limbs)).toBe(normalizeDecimal(toDecimal(value).toDecimalPlaces(24, MoneyDecimal.ROUND_FLOOR)));
  });

  it('sums limb-wise as SQL would (BigInt) and equals the exact decimal sum', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const values = Array.from({ length: 5000 }, (_, i) => {
      const v = (rnd() * 1000 - 200).toFixed(1 + (i % 20));
      return v;
    });
    const sums = [0n, 0n, 0n];
    for (const v of values) toLimbs(v).forEach((l, i) => (sums[i] += BigInt(l)));
    expect(fromLimbSums(sums[0].toString(), sums[1].toString(), sums[2].toString())).toBe(sumDecimals(values));
  });

  it('reads SQL nulls (an empty group) as zero', () => {
    expect(fromLimbSums(null, null, null)).toBe('0');
    expect(fromLimbSums(5, '0', null)).toBe('0.000005');
  });
});
