import { Budget, budgetPeriodOf, budgetPeriodProgress, evaluateBudget } from './budget';

const budget: Budget = {
  id: 'b1',
  name: 'EU production',
  scope: { kind: 'account', id: 'acc-eu', label: 'Contoso EU' },
  period: 'monthly',
  amount: '1000',
  currency: 'EUR',
  thresholds: [
    { percent: 50, basis: 'actual' },
    { percent: '80', basis: 'actual' },
    { percent: 100, basis: 'actual' },
    { percent: 80, basis: 'forecast' },
    { percent: '100.0', basis: 'forecast' },
  ],
};

describe('budget thresholds crossed on actual and forecast', () => {
  it.each([
    { actual: '0', forecast: '0', crossed: [] },
    { actual: '499.99', forecast: '790', crossed: [] },
    { actual: '500', forecast: '800', crossed: ['actual:50', 'forecast:80'] },
    { actual: '600.10', forecast: '1000.00', crossed: ['actual:50', 'forecast:80', 'forecast:100'] },
    { actual: '1000', forecast: '1200', crossed: ['actual:50', 'actual:80', 'actual:100', 'forecast:80', 'forecast:100'] },
    { actual: '0.1', forecast: '-5', crossed: [] },
  ])('actual $actual, forecast $forecast → $crossed', ({ actual, forecast, crossed }) => {
    expect(evaluateBudget(budget, actual, forecast).crossed.map((t) => t.thresholdId)).toEqual(crossed);
  });

  it('states limits, values and used percent exactly', () => {
    const e = evaluateBudget({ ...budget, amount: '333.33' }, '100.005', '250');
    expect(e.thresholds[1]).toEqual({
      thresholdId: 'actual:80',
      basis: 'actual',
      percent: '80',
      limit: '266.664',
      value: '100.005',
      usedPercent: '30.00',
      crossed: false,
    });
    expect(e).toMatchObject({ budgetId: 'b1', currency: 'EUR', amount: '333.33', actual: '100.005', forecast: '250' });
  });

  it('a zero budget is crossed by any spend and has no used percent', () => {
    const e = evaluateBudget({ ...budget, amount: '0' }, '0.01', '0.01');
    expect(e.crossed).toHaveLength(5);
    expect(e.thresholds[0].usedPercent).toBeNull();
  });

  it.each([
    { period: 'monthly', day: '2024-02-10', key: '2024-02', start: '2024-02-01', end: '2024-02-29', elapsed: 10, remaining: 19 },
    { period: 'quarterly', day: '2024-05-31', key: '2024-Q2', start: '2024-04-01', end: '2024-06-30', elapsed: 61, remaining: 30 },
    { period: 'quarterly', day: '2024-12-31', key: '2024-Q4', start: '2024-10-01', end: '2024-12-31', elapsed: 92, remaining: 0 },
    { period: 'yearly', day: '2025-01-01', key: '2025', start: '2025-01-01', end: '2025-12-31', elapsed: 1, remaining: 364 },
  ] as const)('$period period of $day is $key', ({ period, day, key, start, end, elapsed, remaining }) => {
    expect(budgetPeriodOf(period, day)).toEqual({ key, start, end });
    expect(budgetPeriodProgress(period, day)).toEqual({ elapsed, remaining });
  });
});
