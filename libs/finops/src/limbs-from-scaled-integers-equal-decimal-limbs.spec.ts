import { limbNumbers, limbsOfScaled, normalizedLimbNumbers, scaledBy1e24, scaledOfLimbNumbers, toLimbs } from './limbs';

describe('scaledBy1e24 / limbsOfScaled (the pre-aggregates’ in-memory unit)', () => {
  it.each([
    ['0'],
    ['1'],
    ['-1'],
    ['2.04'],
    ['0.0000001'],
    ['-0.0000001'],
    ['-0.01'],
    ['123456789.123456789012345678901234'],
    ['-123456789.123456789012345678901234'],
    ['-0.0000000000000000000000019'],
    ['-0.00000000000000000000000100'],
    ['0.000000000000000000000001'],
    ['1e-7'],
    ['-2.5E+3'],
    ['999999999999.999999999999999999999999'],
  ])('%s gives the limbs toLimbs gives', (value) => {
    expect(limbsOfScaled(scaledBy1e24(value)).map(String)).toEqual(toLimbs(value));
  });

  it('adds exactly: the limbs of a sum of scaled values recombine to the sum of the decimals', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let scaled = 0n;
    const limbSums = [0n, 0n, 0n];
    for (let i = 0; i < 3000; i++) {
      const v = (rnd() * 2000 - 1000).toFixed(i % 27);
      scaled += scaledBy1e24(v);
      toLimbs(v).forEach((l, k) => (limbSums[k] += BigInt(l)));
    }
    const [a0, a1, a2] = limbsOfScaled(scaled);
    const value = (l: bigint[]) => l[0] * 10n ** 18n + l[1] * 10n ** 9n + l[2];
    expect(value([a0, a1, a2])).toBe(value(limbSums));
  });
});

describe('limbNumbers / normalizedLimbNumbers (the pre-aggregates’ BigInt-free path)', () => {
  it.each([
    ['0', ['0', '0', '0']],
    ['-0', ['0', '0', '0']],
    ['1', ['1000000', '0', '0']],
    ['-1', ['-1000000', '0', '0']],
    ['2.04', ['2040000', '0', '0']],
    ['-0.0000001', ['-1', '900000000', '0']],
    ['-0.01', ['-10000', '0', '0']],
    ['123456789.123456789012345678901234', ['123456789123456', '789012345', '678901234']],
    ['-123456789.123456789012345678901234', ['-123456789123457', '210987654', '321098766']],
    ['-0.0000000000000000000000019', ['-1', '999999999', '999999998']],
    ['-0.00000000000000000000000100', ['-1', '999999999', '999999999']],
    ['0.000000000000000000000001', ['0', '0', '1']],
    ['999999999.999999999999999999999999', ['999999999999999', '999999999', '999999999']],
  ])('%s gives the limbs toLimbs gives', (value, limbs) => {
    expect(toLimbs(value)).toEqual(limbs);
    expect(limbNumbers(value)?.map(String)).toEqual(limbs);
  });

  it.each([['1000000000'], ['-1000000000.5'], ['1e-7'], ['-2.5E+3'], ['0000000001.5'], ['abc']])(
    '%s is left to the BigInt path (undefined)',
    (value) => {
      expect(limbNumbers(value)).toBeUndefined();
    },
  );

  it('sums of signed row limbs, carried, equal the limbs of the BigInt sum', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 200; trial++) {
      const sums = [0, 0, 0];
      let scaled = 0n;
      for (let i = 0; i < 1 + (trial % 40); i++) {
        const v = ((rnd() - 0.5) * 10 ** (trial % 9)).toFixed(i % 27);
        const sign = rnd() < 0.3 ? -1 : 1;
        const limbs = limbNumbers(v)!;
        limbs.forEach((l, k) => (sums[k] += sign * l));
        scaled += BigInt(sign) * scaledBy1e24(v);
      }
      expect(normalizedLimbNumbers(sums[0], sums[1], sums[2]).map(String)).toEqual(limbsOfScaled(scaled).map(String));
      expect(scaledOfLimbNumbers(sums[0], sums[1], sums[2])).toBe(scaled);
    }
  });

  it('refuses a sum it cannot carry exactly instead of rounding it', () => {
    expect(() => normalizedLimbNumbers(Number.MAX_SAFE_INTEGER, 2_000_000_000, 0)).toThrow(RangeError);
  });
});
