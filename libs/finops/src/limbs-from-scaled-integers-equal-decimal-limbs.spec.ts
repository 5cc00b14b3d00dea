import { limbsOfScaled, scaledBy1e24, toLimbs } from './limbs';

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
