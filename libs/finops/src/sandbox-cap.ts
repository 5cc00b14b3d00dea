import { MoneyDecimal, normalizeDecimal, toDecimal } from './decimal';
import type { RuleEvaluation } from './alert-state';

/**
 * Integration Sandbox subscriptions are capped at USD 200 of Azure consumption per month; at the
 * cap Microsoft suspends the subscription. Operations want a warning before that.
 */
export const SANDBOX_MONTHLY_CAP = { amount: '200', currency: 'USD' } as const;

export interface SandboxUsage {
  subscriptionId: string;
  accountId: string;
  /** 'YYYY-MM'. */
  month: string;
  monthToDate: string;
  currency: string;
  /** Forecast month-end total, if known: lets the check warn that the cap will be reached. */
  forecastMonthEnd?: string;
}

export interface SandboxCapOptions {
  cap?: string;
  capCurrency?: string;
  /** Percent of the cap; default 80 and 100. */
  thresholds?: readonly number[];
}

export interface SandboxCapStatus {
  subscriptionId: string;
  accountId: string;
  month: string;
  currency: string;
  cap: string;
  monthToDate: string;
  remaining: string;
  usedPercent: string;
  /** Highest threshold crossed by actual spend ('ok' below all). */
  level: 'ok' | 'near' | 'at-cap';
  crossed: number[];
  /** Thresholds the forecast month-end crosses (empty without a forecast). */
  forecastCrossed: number[];
}

export function evaluateSandboxCap(usage: SandboxUsage, options: SandboxCapOptions = {}): SandboxCapStatus {
  const capCurrency = options.capCurrency ?? SANDBOX_MONTHLY_CAP.currency;
  if (usage.currency !== capCurrency) {
    throw new Error(`sandbox ${usage.subscriptionId} bills in ${usage.currency}; convert to ${capCurrency} before comparing with the cap`);
  }
  const cap = toDecimal(options.cap ?? SANDBOX_MONTHLY_CAP.amount);
  const thresholds = [...(options.thresholds ?? [80, 100])].sort((a, b) => a - b);
  const mtd = toDecimal(usage.monthToDate);
  const crossedBy = (v: MoneyDecimal) => thresholds.filter((p) => v.greaterThanOrEqualTo(cap.times(p).div(100)));
  const crossed = crossedBy(mtd);
  const top = crossed.at(-1);
  return {
    subscriptionId: usage.subscriptionId,
    accountId: usage.accountId,
    month: usage.month,
    currency: capCurrency,
    cap: normalizeDecimal(cap),
    monthToDate: normalizeDecimal(mtd),
    remaining: normalizeDecimal(MoneyDecimal.max(cap.minus(mtd), 0)),
    usedPercent: mtd.div(cap).times(100).toDecimalPlaces(2, MoneyDecimal.ROUND_HALF_EVEN).toFixed(2),
    level: top === undefined ? 'ok' : top >= 100 ? 'at-cap' : 'near',
    crossed,
    forecastCrossed: usage.forecastMonthEnd === undefined ? [] : crossedBy(toDecimal(usage.forecastMonthEnd)),
  };
}

/** Sandbox statuses as one rule evaluation: a condition per subscription × threshold (actual and forecast). */
export function sandboxCapRuleEvaluation(
  ruleId: string,
  month: string,
  at: string,
  statuses: readonly SandboxCapStatus[],
  thresholds: readonly number[] = [80, 100],
): RuleEvaluation {
  return {
    ruleId,
    periodKey: month,
    at,
    conditions: statuses.flatMap((s) =>
      thresholds.flatMap((p) => [
        { thresholdId: `${s.subscriptionId}:actual:${p}`, active: s.crossed.includes(p), detail: { ...s, percent: p, basis: 'actual' } },
        {
          thresholdId: `${s.subscriptionId}:forecast:${p}`,
          active: s.forecastCrossed.includes(p),
          detail: { ...s, percent: p, basis: 'forecast' },
        },
      ]),
    ),
  };
}
