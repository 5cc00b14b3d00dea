import { addDecimals, compareDecimals, formatMoney, roundDecimal, subtractDecimals } from './decimal';

describe('display decimals', () => {
  it.each([
    [['0.1', '0.2'], '0.3'],
    [['1.005', '2'], '3.005'],
    [['-5.5', '5.5'], '0.0'],
    [Array(1000).fill('0.01'), '10.00'],
    [['123456789012345678.12345678', '0.00000002'], '123456789012345678.12345680'],
  ])('adds %j exactly', (values, sum) => {
    expect(addDecimals(values)).toBe(sum);
  });

  it.each([
    ['2.345', '2.35'],
    ['2.344999', '2.34'],
    ['-2.345', '-2.35'],
    ['-0.004', '0.00'],
    ['7', '7.00'],
  ])('rounds %s to %s', (value, out) => {
    expect(roundDecimal(value)).toBe(out);
  });

  it('formats with grouping and currency', () => {
    expect(formatMoney('1234567.891', 'EUR')).toBe('1,234,567.89 EUR');
    expect(formatMoney('-1000', 'USD')).toBe('-1,000.00 USD');
  });
});

describe('comparing and subtracting', () => {
  it('compares exactly', () => {
    expect(compareDecimals('0.30', '0.3')).toBe(0);
    expect(compareDecimals('10', '9.999999999')).toBe(1);
    expect(compareDecimals('-1', '0')).toBe(-1);
  });
  it('subtracts exactly', () => {
    expect(subtractDecimals('0.3', '0.1')).toBe('0.2');
    expect(subtractDecimals('1', '1.005')).toBe('-0.005');
  });
});
