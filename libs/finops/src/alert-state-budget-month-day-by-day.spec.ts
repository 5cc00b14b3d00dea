import {
  acknowledgeAlert,
  AlertRecord,
  AlertTransition,
  alertTransitions,
  applyAlertTransitions,
  budgetRuleEvaluation,
} from './alert-state';
import { Budget, budgetPeriodOf, evaluateBudget } from './budget';
import { addDays, daysBetween } from './calendar';
import { sumDecimals } from './decimal';
import { forecastCosts } from './forecast';
import { syntheticDailyCosts } from './testing/synthetic-series';

// A month driven day by day: every evening the budget is evaluated on the actual spend so far and
// the month-end forecast, transitions are applied, and what was notified is collected.
const budget: Budget = {
  id: 'eu-prod',
  name: 'EU production',
  scope: { kind: 'account', id: 'acc-eu' },
  period: 'monthly',
  amount: '3000',
  currency: 'EUR',
  thresholds: [
    { percent: 50, basis: 'actual' },
    { percent: 80, basis: 'actual' },
    { percent: 100, basis: 'actual' },
    { percent: 80, basis: 'forecast' },
    { percent: 100, basis: 'forecast' },
  ],
};
// 110 a day: March totals 3410, so every threshold is crossed during March.
const series = syntheticDailyCosts({ start: '2024-01-01', days: 130, base: 110 });

interface Run {
  records: AlertRecord[];
  sent: (AlertTransition & { day: string })[];
}

function evaluateDay(run: Run, day: string, b: Budget = budget, evaluations = 1): void {
  const period = budgetPeriodOf(b.period, day);
  const actual = sumDecimals(series.filter((r) => r.day >= period.start && r.day <= day).map((r) => r.amount));
  const forecast = forecastCosts(series, day).monthEnd.total;
  for (let i = 0; i < evaluations; i++) {
    const transitions = alertTransitions(
      run.records,
      budgetRuleEvaluation(evaluateBudget(b, actual, forecast), period.key, `${day}T23:00:00Z`),
    );
    run.records = applyAlertTransitions(run.records, transitions);
    run.sent.push(...transitions.map((t) => ({ ...t, day })));
  }
}

function driveMarch(evaluationsPerDay = 1): Run {
  const run: Run = { records: [], sent: [] };
  for (const day of daysBetween('2024-03-01', '2024-03-31')) evaluateDay(run, day, budget, evaluationsPerDay);
  return run;
}

describe('alert state: a budget month day by day', () => {
  it.each([
    { thresholdId: 'forecast:80', day: '2024-03-01' },
    { thresholdId: 'forecast:100', day: '2024-03-01' },
    { thresholdId: 'actual:50', day: '2024-03-14' }, // 14 × 110 = 1540 ≥ 1500
    { thresholdId: 'actual:80', day: '2024-03-22' }, // 22 × 110 = 2420 ≥ 2400
    { thresholdId: 'actual:100', day: '2024-03-28' }, // 28 × 110 = 3080 ≥ 3000
  ])('$thresholdId fires exactly once, on $day', ({ thresholdId, day }) => {
    const fires = driveMarch().sent.filter((t) => t.kind === 'fire' && t.thresholdId === thresholdId);
    expect(fires.map((t) => [t.day, t.periodKey, t.crossing])).toEqual([[day, '2024-03', 1]]);
  });

  it('forecast thresholds fire before the actual thresholds of the same percent', () => {
    const { sent } = driveMarch();
    const firedOn = (id: string) => sent.find((t) => t.kind === 'fire' && t.thresholdId === id)!.day;
    expect(firedOn('forecast:80') < firedOn('actual:80')).toBe(true);
    expect(firedOn('forecast:100') < firedOn('actual:100')).toBe(true);
  });

  it('repeated evaluations on the same day change nothing', () => {
    const once = driveMarch(1);
    const thrice = driveMarch(3);
    expect(thrice.sent.map((t) => t.dedupKey)).toEqual(once.sent.map((t) => t.dedupKey));
    expect(new Set(once.sent.map((t) => t.dedupKey)).size).toBe(once.sent.length);
    expect(once.sent.every((t) => t.kind === 'fire')).toBe(true);
  });

  it('raising the budget resolves what it no longer exceeds, once', () => {
    const run = driveMarch();
    const raised = { ...budget, amount: '4000' }; // 3410 spent+forecast: 80 % of 4000 = 3200 still crossed
    evaluateDay(run, '2024-03-31', raised);
    evaluateDay(run, '2024-03-31', raised);
    const resolved = run.sent.filter((t) => t.kind === 'resolve');
    expect(resolved.map((t) => [t.thresholdId, t.reason])).toEqual([
      ['actual:100', 'cleared'],
      ['forecast:100', 'cleared'],
    ]);
    expect(
      run.records
        .filter((r) => r.status !== 'resolved')
        .map((r) => r.thresholdId)
        .sort(),
    ).toEqual(['actual:50', 'actual:80', 'forecast:80']);
  });

  it('lowering it again is a new crossing that fires again', () => {
    const run = driveMarch();
    evaluateDay(run, '2024-03-31', { ...budget, amount: '4000' });
    evaluateDay(run, '2024-03-31', budget);
    const refired = run.sent.filter((t) => t.kind === 'fire' && t.crossing === 2);
    expect(refired.map((t) => t.thresholdId).sort()).toEqual(['actual:100', 'forecast:100']);
  });

  it('a new period resolves last month and starts over', () => {
    const run = driveMarch();
    evaluateDay(run, '2024-04-01');
    const april1 = run.sent.filter((t) => t.day === '2024-04-01');
    expect(april1.filter((t) => t.kind === 'resolve').map((t) => [t.periodKey, t.reason])).toEqual(
      Array(5).fill(['2024-03', 'period-ended']),
    );
    expect(april1.filter((t) => t.kind === 'fire').map((t) => [t.thresholdId, t.periodKey])).toEqual([
      ['forecast:80', '2024-04'],
      ['forecast:100', '2024-04'],
    ]);
  });

  it('acknowledged stays acknowledged and silent until it resolves', () => {
    const run: Run = { records: [], sent: [] };
    evaluateDay(run, '2024-03-01');
    run.records = acknowledgeAlert(
      run.records,
      { ruleId: 'budget:eu-prod', thresholdId: 'forecast:100', periodKey: '2024-03' },
      '2024-03-02T08:00:00Z',
      'ops@contoso',
    );
    for (const day of daysBetween('2024-03-02', '2024-03-10')) evaluateDay(run, day);
    const ack = run.records.find((r) => r.thresholdId === 'forecast:100')!;
    expect(ack).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ops@contoso', crossing: 1 });
    expect(run.sent.filter((t) => t.thresholdId === 'forecast:100')).toHaveLength(1);

    evaluateDay(run, addDays('2024-03-10', 0), { ...budget, amount: '9000' });
    expect(run.records.find((r) => r.thresholdId === 'forecast:100')).toMatchObject({ status: 'resolved', resolveReason: 'cleared' });
    expect(run.sent.filter((t) => t.thresholdId === 'forecast:100').map((t) => t.kind)).toEqual(['fire', 'resolve']);
  });

  it('a threshold removed from the budget resolves as no longer evaluated', () => {
    const run = driveMarch();
    evaluateDay(run, '2024-03-31', { ...budget, thresholds: budget.thresholds.filter((t) => t.basis === 'actual') });
    expect(run.sent.filter((t) => t.kind === 'resolve').map((t) => [t.thresholdId, t.reason])).toEqual([
      ['forecast:80', 'not-evaluated'],
      ['forecast:100', 'not-evaluated'],
    ]);
  });
});
