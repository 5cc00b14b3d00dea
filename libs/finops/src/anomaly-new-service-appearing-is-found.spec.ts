import { detectAnomalies, KeyedDailyCost } from './anomaly';
import { OFFICE_WEEK, syntheticDailyCosts } from './testing/synthetic-series';

describe('anomaly: a new service appearing is found', () => {
  const account: KeyedDailyCost[] = syntheticDailyCosts({
    start: '2024-01-01',
    days: 100,
    base: 300,
    seed: 3,
    weekdayFactors: OFFICE_WEEK,
    noise: 0.05,
  }).map((r) => ({
    key: 'acc-us|Virtual Machines',
    ...r,
  }));
  const newService: KeyedDailyCost[] = syntheticDailyCosts({ start: '2024-03-20', days: 20, base: 45 }).map((r) => ({
    key: 'acc-us|Azure OpenAI',
    ...r,
  }));

  it.each([
    { name: 'default data start (earliest row of any key)', dataStart: undefined, found: true },
    { name: 'explicit data start', dataStart: '2024-01-01', found: true },
    { name: 'data start too recent to judge its first day', dataStart: '2024-03-01', found: false },
  ])('$name', ({ dataStart, found }) => {
    const anomalies = detectAnomalies([...account, ...newService], { from: '2024-03-15', to: '2024-04-08', dataStart });
    const first = anomalies.find((a) => a.key === 'acc-us|Azure OpenAI' && a.day === '2024-03-20');
    if (!found) return expect(first).toBeUndefined();
    expect(first).toMatchObject({ day: '2024-03-20', kind: 'new', direction: 'up', expected: '0', actual: '45', runStart: '2024-03-20' });
    // Following days belong to the same run, so the alert layer can notify once per run.
    expect(new Set(anomalies.filter((a) => a.key === 'acc-us|Azure OpenAI').map((a) => a.runStart))).toEqual(new Set(['2024-03-20']));
    expect(anomalies.filter((a) => a.key === 'acc-us|Virtual Machines')).toHaveLength(0);
  });

  it('needs the minimum history before judging anything', () => {
    const short = account.filter((r) => r.day >= '2024-03-01');
    expect(detectAnomalies(short, { from: '2024-03-01', to: '2024-03-28', minHistoryDays: 28 })).toEqual([]);
  });
});
