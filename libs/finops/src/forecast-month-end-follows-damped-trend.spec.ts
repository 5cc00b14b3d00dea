import { sumDecimals } from './decimal';
import { forecastCosts } from './forecast';
import { OFFICE_WEEK, syntheticDailyCosts } from './testing/synthetic-series';

const total = (rows: { day: string; amount: string }[], month: string) =>
  Number(sumDecimals(rows.filter((r) => r.day.startsWith(month)).map((r) => r.amount)));

describe('forecast month end follows a damped trend', () => {
  it.each([
    { name: 'growing 0.5 %/day', trendPerDay: 0.005, asOf: '2024-04-10', maxError: 0.02 },
    { name: 'shrinking 0.3 %/day', trendPerDay: -0.003, asOf: '2024-04-10', maxError: 0.02 },
    { name: 'flat', trendPerDay: 0, asOf: '2024-04-10', maxError: 0.0001 },
  ])('$name: month-end within $maxError of actual', ({ trendPerDay, asOf, maxError }) => {
    const rows = syntheticDailyCosts({ start: '2024-01-01', days: 180, base: 100, weekdayFactors: OFFICE_WEEK, trendPerDay });
    const f = forecastCosts(rows, asOf);
    const actual = total(rows, '2024-04');
    expect(Math.abs(Number(f.monthEnd.total) - actual) / actual).toBeLessThan(maxError);
  });

  it('damps the trend: three months out it grows less than a straight line would', () => {
    const rows = syntheticDailyCosts({ start: '2024-01-01', days: 220, base: 100, weekdayFactors: OFFICE_WEEK, trendPerDay: 0.005 });
    const f = forecastCosts(rows, '2024-04-30');
    const straight = total(rows, '2024-07');
    const july = Number(f.nextMonths[2].total);
    expect(july).toBeGreaterThan(total(rows, '2024-04'));
    expect(july).toBeLessThan(straight);
  });

  it('a one-off step up becomes the new level, not a runaway slope', () => {
    const rows = syntheticDailyCosts({ start: '2024-01-01', days: 120, base: 100 }).map((r) =>
      r.day >= '2024-03-18' ? { ...r, amount: '200.00' } : r,
    );
    const f = forecastCosts(rows, '2024-03-31');
    expect(f.nextMonths[0]).toMatchObject({ month: '2024-04', total: '6000.00' });
  });
});
