import { sumDecimals } from './decimal';
import { forecastCosts } from './forecast';
import { OFFICE_WEEK, syntheticDailyCosts } from './testing/synthetic-series';

// A noise-free office week (weekdays 100, weekends 40) repeats exactly, so the forecast must hit
// the actual month total to the cent, and with no residuals the band collapses onto the total.
const full = syntheticDailyCosts({ start: '2024-01-01', days: 200, base: 100, weekdayFactors: OFFICE_WEEK });
const monthTotal = (month: string) => Number(sumDecimals(full.filter((r) => r.day.startsWith(month)).map((r) => r.amount))).toFixed(2);

describe('forecast month end with weekday pattern', () => {
  it.each([
    { asOf: '2024-03-01', month: '2024-03', actualToDate: '100.00', daysRemaining: 30 },
    { asOf: '2024-03-15', month: '2024-03', actualToDate: '1260.00', daysRemaining: 16 },
    { asOf: '2024-03-30', month: '2024-03', actualToDate: '2460.00', daysRemaining: 1 },
    { asOf: '2024-03-31', month: '2024-03', actualToDate: '2500.00', daysRemaining: 0 },
    { asOf: '2024-02-29', month: '2024-02', actualToDate: '2420.00', daysRemaining: 0 },
  ])('as of $asOf the $month total is exact', ({ asOf, month, actualToDate, daysRemaining }) => {
    const f = forecastCosts(full, asOf);
    expect(f.monthEnd).toMatchObject({ month, actualToDate, daysRemaining, total: monthTotal(month) });
    expect([f.monthEnd.p10, f.monthEnd.p90]).toEqual([f.monthEnd.total, f.monthEnd.total]);
  });

  it('predicts the next three calendar months from the same profile', () => {
    const f = forecastCosts(full, '2024-03-15');
    expect(f.nextMonths).toEqual(
      ['2024-04', '2024-05', '2024-06'].map((month) => ({
        month,
        total: monthTotal(month),
        p10: monthTotal(month),
        p90: monthTotal(month),
      })),
    );
  });

  it('ignores rows after asOf and adds several rows of the same day', () => {
    const split = full.flatMap((r) => [
      { day: r.day, amount: '10' },
      { day: r.day, amount: String(Number(r.amount) - 10) },
    ]);
    const f = forecastCosts(split, '2024-03-15');
    expect(f).toEqual(
      forecastCosts(
        full.filter((r) => r.day <= '2024-03-15'),
        '2024-03-15',
      ),
    );
    expect(f.monthEnd.total).toBe(monthTotal('2024-03'));
  });

  it('outputs 2-place decimal strings', () => {
    const noisy = syntheticDailyCosts({ start: '2024-01-01', days: 90, base: 123.457, seed: 9, weekdayFactors: OFFICE_WEEK, noise: 0.1 });
    const f = forecastCosts(noisy, '2024-03-10');
    for (const v of [f.monthEnd.total, f.monthEnd.p10, f.monthEnd.p90, f.monthEnd.predictedRest, ...f.nextMonths.map((m) => m.total)]) {
      expect(v).toMatch(/^\d+\.\d{2}$/);
    }
    expect(Number(f.monthEnd.p10)).toBeLessThan(Number(f.monthEnd.total));
    expect(Number(f.monthEnd.p90)).toBeGreaterThan(Number(f.monthEnd.total));
  });
});
