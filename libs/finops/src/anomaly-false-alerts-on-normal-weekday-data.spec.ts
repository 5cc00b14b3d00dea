import { AnomalySensitivity, detectAnomalies } from './anomaly';
import { OFFICE_WEEK, syntheticDailyCosts } from './testing/synthetic-series';

// 60 warm-up days, then 60 judged days of normal data (weekday pattern + Gaussian noise) per seed.
// Every alert here is a false alert. Target at medium sensitivity: at most 1 per series per month.
const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);
const JUDGED_MONTHS = 2;

function falseAlerts(seed: number, noise: number, sensitivity: AnomalySensitivity, weekdayFactors = OFFICE_WEEK as readonly number[]) {
  const rows = syntheticDailyCosts({ start: '2024-01-01', days: 120, base: 100, seed, weekdayFactors, noise }).map((r) => ({
    key: 'acc',
    ...r,
  }));
  return detectAnomalies(rows, { from: '2024-03-01', to: '2024-04-29', sensitivity }).length;
}

describe('anomaly false alerts on normal weekday data', () => {
  it.each([
    { name: 'office week, 10 % noise', noise: 0.1, weekdayFactors: OFFICE_WEEK },
    { name: 'office week, 20 % noise', noise: 0.2, weekdayFactors: OFFICE_WEEK },
    { name: 'flat week, 10 % noise', noise: 0.1, weekdayFactors: [1, 1, 1, 1, 1, 1, 1] },
  ])('$name: ≤ 1 per series per month at medium', ({ noise, weekdayFactors }) => {
    const counts = SEEDS.map((seed) => falseAlerts(seed, noise, 'medium', weekdayFactors));
    const perSeriesMonth = counts.reduce((a, b) => a + b, 0) / (SEEDS.length * JUDGED_MONTHS);
    console.log(
      `false alerts over 60 days, noise ${noise}: per seed [${counts.join(', ')}], mean ${perSeriesMonth.toFixed(2)} per series per month`,
    );
    for (const c of counts) expect(c).toBeLessThanOrEqual(JUDGED_MONTHS);
  });

  it('sensitivity orders the alert counts: low ≤ medium ≤ high', () => {
    const totals = (['low', 'medium', 'high'] as const).map((s) => SEEDS.reduce((sum, seed) => sum + falseAlerts(seed, 0.1, s), 0));
    console.log(`false alerts over 10 series × 60 days at low/medium/high: ${totals.join(' / ')}`);
    expect(totals[0]).toBeLessThanOrEqual(totals[1]);
    expect(totals[1]).toBeLessThanOrEqual(totals[2]);
  });
});
