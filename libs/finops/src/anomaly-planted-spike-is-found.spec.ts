import { detectAnomalies, KeyedDailyCost } from './anomaly';
import { normalizeDecimal, toDecimal } from './decimal';
import { OFFICE_WEEK, syntheticDailyCosts } from './testing/synthetic-series';

const withKey = (key: string, rows: { day: string; amount: string }[]): KeyedDailyCost[] => rows.map((r) => ({ key, ...r }));
const scale = (rows: KeyedDailyCost[], day: string, factor: number) =>
  rows.map((r) => (r.day === day ? { ...r, amount: (Number(r.amount) * factor).toFixed(2) } : r));

describe('anomaly: a planted spike is found', () => {
  const normal = withKey(
    'acc-eu',
    syntheticDailyCosts({ start: '2024-01-01', days: 120, base: 100, seed: 7, weekdayFactors: OFFICE_WEEK, noise: 0.1 }),
  );

  it.each([
    { name: '×5 on a Tuesday', day: '2024-04-09', factor: 5, sensitivity: 'medium', direction: 'up', kind: 'spike' },
    { name: '×5 on a Saturday', day: '2024-04-13', factor: 5, sensitivity: 'medium', direction: 'up', kind: 'spike' },
    { name: '×5 at low sensitivity', day: '2024-04-09', factor: 5, sensitivity: 'low', direction: 'up', kind: 'spike' },
    { name: 'a weekday that fell to 0', day: '2024-04-10', factor: 0, sensitivity: 'medium', direction: 'down', kind: 'drop' },
  ] as const)('$name', ({ day, factor, sensitivity, direction, kind }) => {
    const found = detectAnomalies(scale(normal, day, factor), { from: '2024-04-01', to: '2024-04-29', sensitivity });
    const hit = found.find((a) => a.day === day);
    expect(hit).toMatchObject({ key: 'acc-eu', direction, kind, runStart: day });
    expect(Math.abs(hit!.score)).toBeGreaterThanOrEqual(3.5);
    // The baseline is the weekday's own level, not the weekly average.
    const weekendDay = new Date(`${day}T00:00:00Z`).getUTCDay() % 6 === 0;
    expect(Number(hit!.expected)).toBeCloseTo(weekendDay ? 40 : 100, -1);
    expect(found.filter((a) => a.day !== day).length).toBeLessThanOrEqual(1);
  });

  it('reports expected, actual and delta as exact decimals', () => {
    const spiked = scale(normal, '2024-04-09', 5);
    const [hit] = detectAnomalies(spiked, { from: '2024-04-09', to: '2024-04-09' });
    expect(hit.actual).toBe(normalizeDecimal(spiked.find((r) => r.day === '2024-04-09')!.amount));
    expect(hit.delta).toBe(normalizeDecimal(toDecimal(hit.actual).minus(toDecimal(hit.expected))));
  });

  it.each([
    { name: 'tiny series (×5 of 0.50 a day) stays below the minimum delta', base: 0.5, factor: 5, alerts: 0 },
    { name: 'a perfectly flat series ignores a 10 % wobble (MAD floor)', base: 100, factor: 1.1, alerts: 0 },
    { name: 'a perfectly flat series still flags ×2', base: 100, factor: 2, alerts: 1 },
  ])('$name', ({ base, factor, alerts }) => {
    const flat = withKey('sandbox', syntheticDailyCosts({ start: '2024-01-01', days: 120, base }));
    expect(detectAnomalies(scale(flat, '2024-04-09', factor), { from: '2024-04-01', to: '2024-04-29' })).toHaveLength(alerts);
  });

  it('judges each key against its own history (account × service grain)', () => {
    const compute = withKey(
      'acc-eu|Compute',
      syntheticDailyCosts({ start: '2024-01-01', days: 120, base: 500, seed: 1, weekdayFactors: OFFICE_WEEK, noise: 0.05 }),
    );
    const storage = withKey('acc-eu|Storage', syntheticDailyCosts({ start: '2024-01-01', days: 120, base: 20, seed: 2, noise: 0.05 }));
    const found = detectAnomalies([...compute, ...scale(storage, '2024-04-09', 5)], { from: '2024-04-01', to: '2024-04-29' });
    expect(found.map((a) => [a.key, a.day, a.direction])).toEqual([['acc-eu|Storage', '2024-04-09', 'up']]);
  });

  it('ignores drops when asked for upward anomalies only', () => {
    expect(detectAnomalies(scale(normal, '2024-04-10', 0), { from: '2024-04-10', to: '2024-04-10', directions: 'up' })).toEqual([]);
  });
});
