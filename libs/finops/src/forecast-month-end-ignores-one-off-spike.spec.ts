import { forecastCosts } from './forecast';
import { OFFICE_WEEK, syntheticDailyCosts } from './testing/synthetic-series';

describe('forecast month end ignores a one-off spike', () => {
  const base = syntheticDailyCosts({ start: '2024-01-01', days: 75, base: 100, seed: 4, weekdayFactors: OFFICE_WEEK, noise: 0.05 });

  it.each([
    { name: 'reservation purchase ×20 last week', day: '2024-03-05', factor: 20 },
    { name: 'backfill ×10 three weeks ago', day: '2024-02-20', factor: 10 },
  ])('$name moves the predicted rest by under 3 %', ({ day, factor }) => {
    const spiked = base.map((r) => (r.day === day ? { ...r, amount: (Number(r.amount) * factor).toFixed(2) } : r));
    const clean = Number(forecastCosts(base, '2024-03-14').monthEnd.predictedRest);
    const withSpike = Number(forecastCosts(spiked, '2024-03-14').monthEnd.predictedRest);
    expect(Math.abs(withSpike - clean) / clean).toBeLessThan(0.03);
  });
});
