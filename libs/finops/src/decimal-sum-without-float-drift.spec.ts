import { normalizeDecimal, roundDecimal, sumDecimals, toDecimal } from './decimal';

describe('decimal sums without float drift', () => {
  it.each([
    { name: 'classic 0.1 + 0.2', values: ['0.1', '0.2'], sum: '0.3' },
    { name: 'many cents', values: Array(1000).fill('0.01'), sum: '10' },
    { name: '20-decimal amounts', values: ['0.12345678901234567891', '0.00000000000000000009'], sum: '0.123456789012345679' },
    { name: 'large and tiny', values: ['98765432109.87654321', '0.00000001'], sum: '98765432109.87654322' },
    { name: 'refund cancels charge', values: ['12.5', '-12.5'], sum: '0' },
    { name: 'exponent notation input', values: ['1e-8', '2E-8'], sum: '0.00000003' },
    { name: 'empty', values: [], sum: '0' },
  ])('$name', ({ values, sum }) => {
    expect(sumDecimals(values)).toBe(sum);
  });

  it.each([
    { value: '2.345', places: 2, out: '2.34' },
    { value: '2.355', places: 2, out: '2.36' },
    { value: '-0.005', places: 2, out: '0.00' },
    { value: '7', places: 2, out: '7.00' },
  ])('rounds $value half-even to $places places', ({ value, places, out }) => {
    expect(roundDecimal(value, places)).toBe(out);
  });

  it.each(['', 'abc', '1,5', 'NaN', 'Infinity', '1.2.3'])('rejects %p instead of treating it as 0', (bad) => {
    expect(() => toDecimal(bad)).toThrow(/not a decimal/);
  });

  it('normalizes trailing zeros of numeric(…) columns', () => {
    expect(normalizeDecimal('2.040000000000000000')).toBe('2.04');
    expect(normalizeDecimal('-0.000')).toBe('0');
  });
});
