import type { AlertRule } from '@meridian/contracts';
import { addDays, detectAnomalies, toDecimal, type AlertCondition, type CostAnomaly, type KeyedDailyCost } from '@meridian/finops';
import type { ScopeRef } from '@meridian/notify';
import { AccessScope, type AlertFireContent, type CostGroup } from '@meridian/store';
import { contentKey, PeriodConditions, RuleConditions, RuleContext, utcDay } from './rule-conditions';

type AnomalyConfig = NonNullable<AlertRule['anomaly']>;

/** Days judged on each evaluation: two weeks, so a worker that was down for days still sees what it missed. */
export const ANOMALY_JUDGE_DAYS = 14;
/** Trailing baseline (finops detectAnomalies default). */
export const ANOMALY_BASELINE_DAYS = 60;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface AnomalyRun {
  accountId: string;
  service: string | null;
  currency: string;
  thresholdId: string;
  start: string;
  days: CostAnomaly[];
}

/**
 * Anomalies of each account (or account × service): every complete day of the last two weeks is
 * judged against its own trailing 60-day baseline (robust z-score, weekday seasonality — finops
 * detectAnomalies), increases only. One alert per run of consecutive anomalous days in one direction: its period
 * key is the run's first day, so runs are independent. A run fires once (also when it is found
 * after it ended, e.g. the worker was down) and resolves when the run is over.
 */
export async function anomalyConditions(rule: AlertRule, config: AnomalyConfig, ctx: RuleContext): Promise<RuleConditions> {
  const to = addDays(utcDay(ctx.at), -1);
  const from = addDays(to, -(ANOMALY_JUDGE_DAYS - 1));
  const accounts = config.accountId
    ? [await ctx.store.accounts.get(AccessScope.all(), config.accountId)].filter((a) => a !== null)
    : // Integration Sandbox spend is capped and throwaway: its swings are the sandbox-cap rule's business.
      (await ctx.store.accounts.list(AccessScope.all())).filter((a) => a.enabled && !a.sandbox);

  const runs: AnomalyRun[] = [];
  for (const account of accounts) {
    const groups: CostGroup[] = config.grain === 'service' ? ['day', 'service'] : ['day'];
    const cells = await ctx.store.costs.aggregate(AccessScope.accounts([account.id]), groups, {
      from: addDays(from, -ANOMALY_BASELINE_DAYS),
      to,
      includeSandbox: true,
    });
    // The key carries the currency so an account billing in two currencies never adds them up.
    const rows: KeyedDailyCost[] = cells.map((c) => ({ key: [c.keys[1] ?? '', c.currency].join('\u0000'), day: c.keys[0], amount: c.amount }));
    // Spend going up is what costs money; drops of small services were nearly all the false alerts
    // measured on the simulator (docs/decisions/0011-alerting.md), and missing data is sync health's.
    const found = detectAnomalies(rows, {
      from,
      to,
      sensitivity: config.sensitivity,
      minAbsoluteDelta: config.minAbsoluteDelta,
      baselineDays: ANOMALY_BASELINE_DAYS,
      directions: 'up',
    });
    const byRun = new Map<string, AnomalyRun>();
    for (const a of found) {
      const [service, currency] = a.key.split('\u0000');
      const thresholdId = `${account.id}${config.grain === 'service' ? `|${service}` : ''}:${a.direction}`;
      const id = `${thresholdId}@${a.runStart}`;
      const run = byRun.get(id) ?? { accountId: account.id, service: config.grain === 'service' ? service : null, currency, thresholdId, start: a.runStart, days: [] };
      run.days.push(a);
      byRun.set(id, run);
    }
    runs.push(...byRun.values());
  }

  // A run still going on the first judged day may have begun earlier, under an alert already open.
  const records = await ctx.records(runs.map((r) => r.start));
  const open = records.filter((r) => r.status !== 'resolved');
  for (const run of runs) {
    if (run.start !== from) continue;
    const earlier = open.find((r) => r.thresholdId === run.thresholdId && r.periodKey < from);
    if (earlier) run.start = earlier.periodKey;
  }

  const groups = new Map<string, PeriodConditions>();
  const content = new Map<string, AlertFireContent>();
  const accountNames = new Map(accounts.map((a) => [a.id, a.name]));
  for (const run of runs) {
    const last = run.days[run.days.length - 1];
    const recorded = records.some((r) => r.thresholdId === run.thresholdId && r.periodKey === run.start);
    const condition: AlertCondition = { thresholdId: run.thresholdId, active: last.day === to || !recorded };
    const group = groups.get(run.start) ?? { periodKey: run.start, conditions: [] };
    group.conditions.push(condition);
    groups.set(run.start, group);
    const scope: ScopeRef[] = [
      { kind: 'account', id: run.accountId, ...(accountNames.get(run.accountId) ? { name: accountNames.get(run.accountId) } : {}) },
      ...(run.service !== null ? [{ kind: 'service' as const, id: run.service, name: run.service }] : []),
    ];
    const expected = toDecimal(last.expected);
    const ratio = expected.isZero() ? null : toDecimal(last.actual).div(expected).toDecimalPlaces(1).toFixed(1);
    const what = `${run.service ?? 'Daily cost'}${run.service ? ' cost' : ''} on ${last.day}`;
    const words =
      last.kind === 'new'
        ? 'new cost with no history in the last 60 days'
        : `${last.kind} to ${ratio ?? '?'}× the usual for a ${WEEKDAYS[new Date(`${last.day}T00:00:00Z`).getUTCDay()]}`;
    content.set(contentKey(run.start, run.thresholdId), {
      ruleName: rule.name,
      category: 'anomaly',
      condition: `${what}: ${words} (robust z ${last.score})`,
      value: { amount: last.actual, currency: run.currency },
      limit: { amount: last.expected, currency: run.currency },
      accountIds: [run.accountId],
      detail: {
        scope,
        direction: last.direction,
        kind: last.kind,
        service: run.service,
        runStart: run.start,
        days: run.days.map((d) => ({ day: d.day, actual: d.actual, expected: d.expected, delta: d.delta, score: d.score })),
        sensitivity: config.sensitivity,
      },
    });
  }
  // Open alerts whose run is no longer seen (it ended before the judged window) close now.
  for (const r of open) {
    const group = groups.get(r.periodKey) ?? { periodKey: r.periodKey, conditions: [] };
    if (!group.conditions.some((c) => c.thresholdId === r.thresholdId)) group.conditions.push({ thresholdId: r.thresholdId, active: false });
    groups.set(r.periodKey, group);
  }
  return {
    periods: 'independent',
    groups: [...groups.values()].sort((a, b) => a.periodKey.localeCompare(b.periodKey)),
    content,
    status: null,
  };
}
