import type { AlertCategory, AlertRule, AlertRuleInput, BudgetScopeDto, Cloud } from '@meridian/contracts';

/** The rule form's state: every field as typed, whatever the kind (switching kinds keeps them). */
export interface RuleFormState {
  name: string;
  kind: AlertCategory;
  enabled: boolean;
  channelIds: string[];
  // budget
  scopeKind: BudgetScopeDto['kind'];
  cloud: Cloud | '';
  accountId: string;
  customerId: string;
  subscriptionId: string;
  service: string;
  period: 'monthly' | 'quarterly' | 'yearly';
  amount: string;
  currency: string;
  thresholds: { percent: string; basis: 'actual' | 'forecast' }[];
  // anomaly
  grain: 'account' | 'service';
  sensitivity: 'low' | 'medium' | 'high';
  minAbsoluteDelta: string;
  // sync health
  staleHours: string;
  authFailures: boolean;
  throttledHours: string;
  quarantinedAtLeast: string;
  // sandbox cap
  capThresholds: string;
}

export const emptyRuleForm = (currency = 'EUR'): RuleFormState => ({
  name: '',
  kind: 'budget',
  enabled: true,
  channelIds: [],
  scopeKind: 'account',
  cloud: '',
  accountId: '',
  customerId: '',
  subscriptionId: '',
  service: '',
  period: 'monthly',
  amount: '',
  currency,
  thresholds: [
    { percent: '80', basis: 'actual' },
    { percent: '100', basis: 'actual' },
    { percent: '100', basis: 'forecast' },
  ],
  grain: 'account',
  sensitivity: 'medium',
  minAbsoluteDelta: '10',
  staleHours: '26',
  authFailures: true,
  throttledHours: '6',
  quarantinedAtLeast: '1',
  capThresholds: '80, 100',
});

/** A number field as typed: a number when it is one, else the text, so the API names the bad field. */
function num(text: string): number {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : (t as unknown as number);
}

const optional = (text: string) => (text.trim() ? text.trim() : undefined);

function budgetScope(f: RuleFormState): BudgetScopeDto {
  switch (f.scopeKind) {
    case 'all':
      return { kind: 'all' };
    case 'cloud':
      return { kind: 'cloud', cloud: f.cloud as Cloud };
    case 'account':
      return { kind: 'account', accountId: f.accountId };
    case 'customer':
      return { kind: 'customer', accountId: f.accountId, customerId: f.customerId.trim() };
    case 'subscription':
      return { kind: 'subscription', accountId: f.accountId, subscriptionId: f.subscriptionId.trim() };
    case 'service':
      return { kind: 'service', service: f.service.trim(), ...(f.accountId ? { accountId: f.accountId } : {}) };
  }
}

/** Form → the API's rule input (validation is the API's: its 400 names each bad field). */
export function toRuleInput(f: RuleFormState): AlertRuleInput {
  const common = { name: f.name, enabled: f.enabled, channelIds: f.channelIds };
  switch (f.kind) {
    case 'budget':
      return {
        ...common,
        kind: 'budget',
        budget: {
          scope: budgetScope(f),
          period: f.period,
          amount: f.amount.trim(),
          currency: f.currency.trim().toUpperCase(),
          thresholds: f.thresholds.map((t) => ({ percent: num(t.percent), basis: t.basis })),
        },
      };
    case 'anomaly':
      return {
        ...common,
        kind: 'anomaly',
        anomaly: { grain: f.grain, sensitivity: f.sensitivity, minAbsoluteDelta: f.minAbsoluteDelta.trim(), ...(f.accountId ? { accountId: f.accountId } : {}) },
      };
    case 'sync-health':
      return {
        ...common,
        kind: 'sync-health',
        syncHealth: {
          staleHours: num(f.staleHours),
          authFailures: f.authFailures,
          throttledHours: num(f.throttledHours),
          quarantinedAtLeast: num(f.quarantinedAtLeast),
          ...(f.accountId ? { accountId: f.accountId } : {}),
        },
      };
    case 'sandbox-cap':
      return {
        ...common,
        kind: 'sandbox-cap',
        sandboxCap: {
          thresholds: f.capThresholds.split(/[,\s]+/).filter(Boolean).map(num),
          ...(optional(f.accountId) ? { accountId: f.accountId } : {}),
        },
      };
  }
}

/** A stored rule → the form, to edit it. */
export function fromRule(rule: AlertRule): RuleFormState {
  const f: RuleFormState = { ...emptyRuleForm(), name: rule.name, kind: rule.kind, enabled: rule.enabled, channelIds: [...rule.channelIds] };
  if (rule.budget) {
    const s = rule.budget.scope;
    Object.assign(f, {
      scopeKind: s.kind,
      cloud: s.kind === 'cloud' ? s.cloud : '',
      accountId: 'accountId' in s ? (s.accountId ?? '') : '',
      customerId: s.kind === 'customer' ? s.customerId : '',
      subscriptionId: s.kind === 'subscription' ? s.subscriptionId : '',
      service: s.kind === 'service' ? s.service : '',
      period: rule.budget.period,
      amount: rule.budget.amount,
      currency: rule.budget.currency,
      thresholds: rule.budget.thresholds.map((t) => ({ percent: String(t.percent), basis: t.basis })),
    });
  }
  if (rule.anomaly) {
    Object.assign(f, { grain: rule.anomaly.grain, sensitivity: rule.anomaly.sensitivity, minAbsoluteDelta: rule.anomaly.minAbsoluteDelta, accountId: rule.anomaly.accountId ?? '' });
  }
  if (rule.syncHealth) {
    const h = rule.syncHealth;
    Object.assign(f, {
      staleHours: String(h.staleHours),
      authFailures: h.authFailures,
      throttledHours: String(h.throttledHours),
      quarantinedAtLeast: String(h.quarantinedAtLeast),
      accountId: h.accountId ?? '',
    });
  }
  if (rule.sandboxCap) Object.assign(f, { capThresholds: rule.sandboxCap.thresholds.join(', '), accountId: rule.sandboxCap.accountId ?? '' });
  return f;
}

export const CATEGORY_LABEL: Record<AlertCategory, string> = {
  budget: 'Budget',
  anomaly: 'Cost anomaly',
  'sync-health': 'Sync health',
  'sandbox-cap': 'Sandbox cap',
};

/** Where a rule applies, in words ("Account EU", "Service Storage in every account"). */
export function describeRuleScope(rule: Pick<AlertRule, 'kind' | 'budget' | 'anomaly' | 'syncHealth' | 'sandboxCap'>, accountName: (id: string) => string): string {
  if (rule.budget) {
    const s = rule.budget.scope;
    switch (s.kind) {
      case 'all':
        return 'All accounts';
      case 'cloud':
        return `Cloud ${s.cloud}`;
      case 'account':
        return `Account ${accountName(s.accountId)}`;
      case 'customer':
        return `Customer ${s.customerId} of ${accountName(s.accountId)}`;
      case 'subscription':
        return `Subscription ${s.subscriptionId} of ${accountName(s.accountId)}`;
      case 'service':
        return `Service ${s.service} ${s.accountId ? `in ${accountName(s.accountId)}` : 'in every account'}`;
    }
  }
  const accountId = rule.anomaly?.accountId ?? rule.syncHealth?.accountId ?? rule.sandboxCap?.accountId;
  return accountId ? `Account ${accountName(accountId)}` : 'Every account';
}
