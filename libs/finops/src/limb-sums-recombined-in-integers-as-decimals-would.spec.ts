import { MoneyDecimal, normalizeDecimal } from './decimal';
import { fromLimbSums, toLimbs } from './limbs';

// fromLimbSums adds the limbs as integers (units of 10^-24): it must give the text decimal
// arithmetic gives, for negative totals (refunds), nulls, numbers and sums far beyond 2^53.
function decimalReference(l0: string | number | null, l1: string | number | null, l2: string | number | null): string {
  const part = (v: string | number | null, scale: number) => new MoneyDecimal(v === null ? 0 : String(v)).dividedBy(new MoneyDecimal(10).pow(scale));
  return normalizeDecimal(part(l0, 6).plus(part(l1, 15)).plus(part(l2, 24)));
}

describe('limb sums recombined in integers, as decimals would', () => {
  it.each([
    { l: ['0', '0', '0'] as const, text: '0' },
    { l: [null, null, null] as const, text: '0' },
    { l: ['1500000', '0', '0'] as const, text: '1.5' },
    { l: ['-2', '999999999', '999999999'] as const, text: '-0.000001000000000000000001' },
    { l: [12, 5, 7] as const, text: '0.000012000000005000000007' },
    { l: ['123456789012345678901', '3', '0'] as const, text: '123456789012345.678901000000003' },
    // Limb sums of mixed signs: carries up and down, borrows for negative totals.
    { l: ['0', '2500000000', '-1'] as const, text: '0.000002499999999999999999' },
    { l: ['-1', '0', '0'] as const, text: '-0.000001' },
    { l: ['-1', '0', '1'] as const, text: '-0.000000999999999999999999' },
    { l: ['-1', '1', '0'] as const, text: '-0.000000999999999' },
    { l: ['0', '-1', '0'] as const, text: '-0.000000000000001' },
    { l: ['5', '-5000000000', '0'] as const, text: '0' },
    { l: ['-0', '0', '0'] as const, text: '0' },
    { l: [-7_000_000, -3, -999_999_999_999] as const, text: '-7.000000000001002999999999' },
    { l: ['999999999999999', '999999999', '999999999'] as const, text: '999999999.999999999999999999999999' },
    { l: ['-999999999999999', '-999999999999999', '-999999999999999'] as const, text: '-1000000000.999999000999998999999999' },
    // Beyond the safe integers.
    { l: ['9999999999999999', '1', '1'] as const, text: '9999999999.999999000000001000000001' },
  ])('$l → $text', ({ l, text }) => {
    expect(fromLimbSums(l[0], l[1], l[2])).toBe(text);
    expect(fromLimbSums(l[0], l[1], l[2])).toBe(decimalReference(l[0], l[1], l[2]));
  });

  it('agrees with decimal arithmetic on random sums of random amounts', () => {
    let seed = 5;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 500; i++) {
      const sums = [0n, 0n, 0n];
      for (let k = 0; k < 1 + Math.floor(rnd() * 20); k++) {
        const amount = (rnd() < 0.2 ? '-' : '') + (rnd() * 10 ** Math.floor(rnd() * 9)).toFixed(Math.floor(rnd() * 24));
        toLimbs(amount).forEach((limb, j) => (sums[j] += BigInt(limb)));
      }
      const [l0, l1, l2] = sums.map(String);
      expect(fromLimbSums(l0, l1, l2)).toBe(decimalReference(l0, l1, l2));
    }
  });

  it('agrees with decimal arithmetic on random limb sums of any sign, as text and as numbers', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const limb = () => {
      const digits = 1 + Math.floor(rnd() * 15);
      const text = String(Math.floor(rnd() * 10 ** digits));
      return rnd() < 0.3 && text !== '0' ? `-${text}` : text;
    };
    for (let i = 0; i < 2000; i++) {
      const [l0, l1, l2] = [limb(), limb(), limb()];
      expect(fromLimbSums(l0, l1, l2)).toBe(decimalReference(l0, l1, l2));
      expect(fromLimbSums(Number(l0), Number(l1), null)).toBe(decimalReference(l0, l1, null));
    }
  });

  it('refuses a limb sum that is not an integer', () => {
    expect(() => fromLimbSums('1.5', '0', '0')).toThrow(/not an integer limb sum/);
  });
});
