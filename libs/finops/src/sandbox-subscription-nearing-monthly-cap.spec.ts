import { alertTransitions } from './alert-state';
import { evaluateSandboxCap, sandboxCapRuleEvaluation } from './sandbox-cap';

const usage = (monthToDate: string, forecastMonthEnd?: string) => ({
  subscriptionId: 'sub-sbx-1',
  accountId: 'acc-sandbox',
  month: '2024-03',
  monthToDate,
  currency: 'USD',
  ...(forecastMonthEnd ? { forecastMonthEnd } : {}),
});

describe('sandbox subscription nearing the $200 monthly cap', () => {
  it.each([
    { mtd: '0', level: 'ok', crossed: [], remaining: '200', usedPercent: '0.00' },
    { mtd: '159.99', level: 'ok', crossed: [], remaining: '40.01', usedPercent: '80.00' },
    { mtd: '160', level: 'near', crossed: [80], remaining: '40', usedPercent: '80.00' },
    { mtd: '199.999', level: 'near', crossed: [80], remaining: '0.001', usedPercent: '100.00' },
    { mtd: '200.00', level: 'at-cap', crossed: [80, 100], remaining: '0', usedPercent: '100.00' },
    { mtd: '212.40', level: 'at-cap', crossed: [80, 100], remaining: '0', usedPercent: '106.20' },
  ])('$mtd spent → $level', ({ mtd, level, crossed, remaining, usedPercent }) => {
    expect(evaluateSandboxCap(usage(mtd))).toMatchObject({ level, crossed, remaining, usedPercent, cap: '200', currency: 'USD' });
  });

  it('warns from the forecast before the spend gets there', () => {
    expect(evaluateSandboxCap(usage('90', '230'))).toMatchObject({ level: 'ok', crossed: [], forecastCrossed: [80, 100] });
  });

  it('refuses to compare a non-USD amount with the USD cap', () => {
    expect(() => evaluateSandboxCap({ ...usage('10'), currency: 'EUR' })).toThrow(/convert to USD/);
  });

  it('feeds the alert state machine one condition per subscription, basis and threshold', () => {
    const evaluation = sandboxCapRuleEvaluation('sandbox-cap', '2024-03', '2024-03-20T00:00:00Z', [
      evaluateSandboxCap(usage('170', '260')),
    ]);
    expect(alertTransitions([], evaluation).map((t) => t.thresholdId)).toEqual([
      'sub-sbx-1:actual:80',
      'sub-sbx-1:forecast:80',
      'sub-sbx-1:forecast:100',
    ]);
  });
});
