import { forecastCosts } from './forecast';

describe('forecast with short or empty history', () => {
  it.each([
    { name: 'no rows', rows: [], total: '0.00', nextApril: '0.00' },
    {
      name: 'three days average forward without a weekday profile',
      rows: [
        { day: '2024-03-13', amount: '10' },
        { day: '2024-03-14', amount: '20' },
        { day: '2024-03-15', amount: '30' },
      ],
      total: '380.00', // 60 so far + 16 days × 20
      nextApril: '600.00',
    },
    {
      name: 'a missing day counts as zero cost',
      rows: [
        { day: '2024-03-13', amount: '30' },
        { day: '2024-03-15', amount: '30' },
      ],
      total: '380.00',
      nextApril: '600.00',
    },
  ])('$name', ({ rows, total, nextApril }) => {
    const f = forecastCosts(rows, '2024-03-15');
    expect(f.monthEnd.total).toBe(total);
    expect(f.nextMonths[0]).toMatchObject({ month: '2024-04', total: nextApril });
  });

  it.each(['2024-02-30', '15/03/2024', ''])('rejects asOf %p', (asOf) => {
    expect(() => forecastCosts([], asOf)).toThrow(/day/);
  });

  it('rejects a non-decimal amount instead of treating it as 0', () => {
    expect(() => forecastCosts([{ day: '2024-03-01', amount: 'n/a' }], '2024-03-15')).toThrow(/not a decimal/);
  });
});
