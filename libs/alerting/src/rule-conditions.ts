import type { AlertRule } from '@meridian/contracts';
import type { AlertCondition, AlertRecord } from '@meridian/finops';
import type { AlertFireContent, Store } from '@meridian/store';

/** The conditions of one period of a rule, as the finops state machine consumes them. */
export interface PeriodConditions {
  periodKey: string;
  conditions: AlertCondition[];
}

/**
 * What one rule sees now. `periods: 'single'` = the rule has one current period and alerts of any
 * other period end with it (budgets, sandbox months, sync health). `'independent'` = each period is
 * its own (anomaly runs, keyed by the run's first day): one period closing never touches another.
 */
export interface RuleConditions {
  periods: 'single' | 'independent';
  groups: PeriodConditions[];
  /** What each condition says, by contentKey(periodKey, thresholdId); active or not (resolve notices use the current values). */
  content: Map<string, AlertFireContent>;
  /** Shown on the rule (contract: alertRuleSchema.status). */
  status: AlertRule['status'];
}

export const contentKey = (periodKey: string, thresholdId: string) => `${periodKey}\n${thresholdId}`;

/** What a rule's evaluation may read: the store, the time, and the rule's stored alert records. */
export interface RuleContext {
  store: Store;
  /** The evaluation time; "today" is its UTC date, complete data ends yesterday. */
  at: Date;
  records(periodKeys: readonly string[]): Promise<AlertRecord[]>;
}

/** 'YYYY-MM-DD' of a time, in UTC. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);
