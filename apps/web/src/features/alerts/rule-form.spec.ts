import { alertRuleInputSchema, type AlertRule } from '@meridian/contracts';
import { emptyRuleForm, fromRule, toRuleInput } from './rule-form';

const stored = (input: ReturnType<typeof toRuleInput>): AlertRule => {
  const parsed = alertRuleInputSchema.parse(input);
  return { id: 'r1', createdBy: null, createdAt: '', updatedAt: '', lastEvaluatedAt: null, status: null, ...parsed } as AlertRule;
};

describe('rule form ↔ rule input', () => {
  it('builds a budget rule the contract accepts, with numbers for percents and the amount as an exact string', () => {
    const input = toRuleInput({ ...emptyRuleForm(), name: 'EU monthly', accountId: 'eu', amount: '12500.50', currency: 'eur' });
    expect(alertRuleInputSchema.safeParse(input).success).toBe(true);
    expect(input).toMatchObject({ kind: 'budget', budget: { scope: { kind: 'account', accountId: 'eu' }, amount: '12500.50', currency: 'EUR', thresholds: [{ percent: 80, basis: 'actual' }, { percent: 100, basis: 'actual' }, { percent: 100, basis: 'forecast' }] } });
  });

  it('keeps a bad number as typed, so the API names that very field', () => {
    const input = toRuleInput({ ...emptyRuleForm(), name: 'x', accountId: 'eu', amount: '10', thresholds: [{ percent: 'eighty', basis: 'actual' }] });
    const result = alertRuleInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['budget.thresholds.0.percent']);
  });

  it.each([
    { kind: 'anomaly' as const, extra: { grain: 'service' as const, sensitivity: 'high' as const } },
    { kind: 'sync-health' as const, extra: { staleHours: '12', authFailures: false } },
    { kind: 'sandbox-cap' as const, extra: { capThresholds: '50, 90 100' } },
  ])('round-trips a $kind rule through the form', ({ kind, extra }) => {
    const form = { ...emptyRuleForm(), name: `${kind} rule`, kind, accountId: 'eu', ...extra };
    const input = toRuleInput(form);
    expect(alertRuleInputSchema.safeParse(input).success).toBe(true);
    expect(toRuleInput(fromRule(stored(input)))).toEqual(input);
  });

  it('round-trips every budget scope', () => {
    for (const scope of ['all', 'cloud', 'account', 'customer', 'subscription', 'service'] as const) {
      const input = toRuleInput({ ...emptyRuleForm(), name: scope, scopeKind: scope, cloud: 'china', accountId: 'eu', customerId: 'c1', subscriptionId: 's1', service: 'Storage', amount: '100' });
      expect(alertRuleInputSchema.safeParse(input).success).toBe(true);
      expect(toRuleInput(fromRule(stored(input)))).toEqual(input);
    }
  });
});
