import type { BudgetEvaluation } from './budget';

/**
 * The alert state machine, pure: stored alert records + one new evaluation of a rule → the
 * transitions to apply and notify. The store persists records; notify delivers transitions using
 * their `dedupKey`, so a retried evaluation or a duplicate worker can never send twice.
 *
 *   (none | resolved) --active--> open --ack--> acknowledged
 *   open | acknowledged --inactive / other period / no longer evaluated--> resolved
 *
 * One record per (rule, threshold, period, crossing). A threshold that clears and is crossed again
 * in the same period is a new crossing (crossing + 1) and fires again; repeated evaluations that
 * see the same state produce no transition.
 */

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export type ResolveReason = 'cleared' | 'period-ended' | 'not-evaluated';

export interface AlertKey {
  ruleId: string;
  /** What crossed within the rule: 'forecast:80', 'actual:100', or an anomaly key + direction. */
  thresholdId: string;
  /** The rule's period ('2025-03', '2025-Q1', '2025') or, for anomalies, the run start day. */
  periodKey: string;
}

export interface AlertRecord extends AlertKey {
  /** 1 for the first crossing of this key, 2 after it resolved and was crossed again, … */
  crossing: number;
  status: AlertStatus;
  firedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  resolvedAt?: string;
  resolveReason?: ResolveReason;
}

export interface AlertCondition {
  thresholdId: string;
  active: boolean;
  /** Carried onto the transition for the notification text (amounts, percent, scope…). */
  detail?: Readonly<Record<string, unknown>>;
}

/** One evaluation of one rule: every threshold it currently watches, for the current period. */
export interface RuleEvaluation {
  ruleId: string;
  periodKey: string;
  /** When the evaluation ran (ISO timestamp, passed in: finops reads no clock). */
  at: string;
  conditions: readonly AlertCondition[];
}

export interface AlertTransition extends AlertKey {
  kind: 'fire' | 'resolve';
  crossing: number;
  at: string;
  reason?: ResolveReason;
  detail?: Readonly<Record<string, unknown>>;
  /** Stable id of this notification: the same transition always yields the same key. */
  dedupKey: string;
}

const sameKey = (a: AlertKey, b: AlertKey) => a.ruleId === b.ruleId && a.thresholdId === b.thresholdId && a.periodKey === b.periodKey;
const isOpen = (r: AlertRecord) => r.status !== 'resolved';

export function alertDedupKey(key: AlertKey, crossing: number, kind: AlertTransition['kind']): string {
  return [key.ruleId, key.thresholdId, key.periodKey, crossing, kind].map((p) => encodeURIComponent(String(p))).join('/');
}

/** The newest record of a key (highest crossing), if any. */
export function latestRecord(records: readonly AlertRecord[], key: AlertKey): AlertRecord | undefined {
  return records
    .filter((r) => sameKey(r, key))
    .reduce<AlertRecord | undefined>((a, r) => (!a || r.crossing > a.crossing ? r : a), undefined);
}

export function alertTransitions(records: readonly AlertRecord[], evaluation: RuleEvaluation): AlertTransition[] {
  const out: AlertTransition[] = [];
  const resolve = (r: AlertRecord, reason: ResolveReason, detail?: AlertCondition['detail']) =>
    out.push({
      ruleId: r.ruleId,
      thresholdId: r.thresholdId,
      periodKey: r.periodKey,
      kind: 'resolve',
      crossing: r.crossing,
      at: evaluation.at,
      reason,
      ...(detail ? { detail } : {}),
      dedupKey: alertDedupKey(r, r.crossing, 'resolve'),
    });

  const ofRule = records.filter((r) => r.ruleId === evaluation.ruleId);
  // Open alerts of an earlier (or any other) period close when the rule moves on.
  for (const r of ofRule) if (isOpen(r) && r.periodKey !== evaluation.periodKey) resolve(r, 'period-ended');

  const watched = new Set(evaluation.conditions.map((c) => c.thresholdId));
  for (const r of ofRule) {
    if (isOpen(r) && r.periodKey === evaluation.periodKey && !watched.has(r.thresholdId)) resolve(r, 'not-evaluated');
  }

  for (const c of evaluation.conditions) {
    const key = { ruleId: evaluation.ruleId, thresholdId: c.thresholdId, periodKey: evaluation.periodKey };
    const last = latestRecord(ofRule, key);
    if (c.active && (!last || !isOpen(last))) {
      const crossing = (last?.crossing ?? 0) + 1;
      out.push({
        ...key,
        kind: 'fire',
        crossing,
        at: evaluation.at,
        ...(c.detail ? { detail: c.detail } : {}),
        dedupKey: alertDedupKey(key, crossing, 'fire'),
      });
    } else if (!c.active && last && isOpen(last)) {
      resolve(last, 'cleared', c.detail);
    }
  }
  return out;
}

/** Records after the transitions (what the store would hold). Pure: returns a new array. */
export function applyAlertTransitions(records: readonly AlertRecord[], transitions: readonly AlertTransition[]): AlertRecord[] {
  const next = records.map((r) => ({ ...r }));
  for (const t of transitions) {
    if (t.kind === 'fire') {
      next.push({
        ruleId: t.ruleId,
        thresholdId: t.thresholdId,
        periodKey: t.periodKey,
        crossing: t.crossing,
        status: 'open',
        firedAt: t.at,
      });
    } else {
      const r = next.find((x) => sameKey(x, t) && x.crossing === t.crossing);
      if (r && isOpen(r)) Object.assign(r, { status: 'resolved', resolvedAt: t.at, resolveReason: t.reason });
    }
  }
  return next;
}

/** Acknowledges the open alert of a key. It stays acknowledged (and silent) until it resolves. */
export function acknowledgeAlert(records: readonly AlertRecord[], key: AlertKey, at: string, by?: string): AlertRecord[] {
  const target = latestRecord(records, key);
  if (!target || target.status !== 'open') return records.map((r) => ({ ...r }));
  return records.map((r) =>
    r === target ? { ...r, status: 'acknowledged' as const, acknowledgedAt: at, ...(by ? { acknowledgedBy: by } : {}) } : { ...r },
  );
}

/** A budget evaluation as the rule evaluation the state machine consumes (one condition per threshold). */
export function budgetRuleEvaluation(evaluation: BudgetEvaluation, periodKey: string, at: string): RuleEvaluation {
  return {
    ruleId: `budget:${evaluation.budgetId}`,
    periodKey,
    at,
    conditions: evaluation.thresholds.map((t) => ({
      thresholdId: t.thresholdId,
      active: t.crossed,
      detail: {
        basis: t.basis,
        percent: t.percent,
        limit: t.limit,
        value: t.value,
        usedPercent: t.usedPercent,
        amount: evaluation.amount,
        currency: evaluation.currency,
      },
    })),
  };
}
