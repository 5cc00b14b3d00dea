import { backtest } from './forecast';
import { OFFICE_WEEK, syntheticDailyCosts } from './testing/synthetic-series';

// Replays 15 months of synthetic history (weekday pattern + trend + noise, seeded) and checks the
// month-end MAPE per forecast day. Bounds: early in the month most of the total is still forecast,
// so the allowed error shrinks as the month is spent.
const HORIZONS = [1, 7, 14, 21, 28];

describe('forecast backtest MAPE on synthetic series', () => {
  it.each([
    { name: 'office week, 10 % noise, flat', seed: 1, trendPerDay: 0, noise: 0.1, bounds: [6, 5, 4, 3, 1.5] },
    { name: 'office week, 10 % noise, growing 0.2 %/day', seed: 2, trendPerDay: 0.002, noise: 0.1, bounds: [6, 5, 4, 3, 1.5] },
    { name: 'office week, 10 % noise, shrinking 0.05 %/day', seed: 3, trendPerDay: -0.0005, noise: 0.1, bounds: [6, 5, 4, 3, 1.5] },
    { name: 'office week, 20 % noise, growing 0.1 %/day', seed: 4, trendPerDay: 0.001, noise: 0.2, bounds: [10, 8, 6, 4, 2.5] },
  ])('$name', ({ seed, trendPerDay, noise, bounds }) => {
    const series = syntheticDailyCosts({
      start: '2024-01-01',
      days: 456,
      base: 100,
      seed,
      weekdayFactors: OFFICE_WEEK,
      trendPerDay,
      noise,
    });
    const result = backtest(series, { horizons: HORIZONS });
    console.log(
      `backtest seed=${seed} trend=${trendPerDay} noise=${noise}\n` +
        result
          .map((r) => `  as of day ${r.horizon}: MAPE ${r.mape} % (max ${r.maxApe} %, p10–p90 coverage ${r.bandCoverage}, n=${r.samples})`)
          .join('\n'),
    );
    result.forEach((r, i) => {
      expect(r.samples).toBeGreaterThanOrEqual(13);
      expect(r.mape).toBeLessThan(bounds[i]);
    });
  });

  it('skips months without enough history and months that are not complete', () => {
    const series = syntheticDailyCosts({ start: '2024-01-10', days: 60, base: 100 });
    // January and March are partial; February has history from day 28 on only.
    expect(backtest(series, { horizons: [1, 20] }).map((r) => [r.horizon, r.samples])).toEqual([
      [1, 0],
      [20, 1],
    ]);
  });
});
