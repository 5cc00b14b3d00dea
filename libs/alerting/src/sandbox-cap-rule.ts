import type { AlertRule } from '@meridian/contracts';
import {
  convertAmounts,
  evaluateSandboxCap,
  monthOf,
  MoneyDecimal,
  SANDBOX_MONTHLY_CAP,
  sandboxCapRuleEvaluation,
  toDecimal,
  normalizeDecimal,
  type SandboxCapStatus,
} from '@meridian/finops';
import type { ScopeRef } from '@meridian/notify';
import { AccessScope, type AlertFireContent } from '@meridian/store';
import { contentKey, RuleConditions, RuleContext, utcDay } from './rule-conditions';
import { organisationRates } from './cost-series';

type SandboxCapConfig = NonNullable<AlertRule['sandboxCap']>;

/**
 * Integration Sandbox accounts: each Azure subscription's month-to-date spend (in USD, converted with
 * the organisation's rate sources if the account bills otherwise) against the $200/month cap, at each threshold.
 */
export async function sandboxCapConditions(rule: AlertRule, config: SandboxCapConfig, ctx: RuleContext): Promise<RuleConditions> {
  const today = utcDay(ctx.at);
  const month = monthOf(today);
  const accounts = (await ctx.store.accounts.list(AccessScope.all())).filter((a) => a.sandbox && a.enabled && (!config.accountId || a.id === config.accountId));
  const statuses: SandboxCapStatus[] = [];
  const names = new Map<string, string>();
  for (const a of accounts) {
    const cells = await ctx.store.costs.aggregate(AccessScope.accounts([a.id]), ['subscription'], { from: `${month}-01`, to: today, includeSandbox: true });
    const items = cells.map((c) => ({ currency: c.currency, period: month, amount: c.amount }));
    const { amounts } = convertAmounts(items, SANDBOX_MONTHLY_CAP.currency, await organisationRates(ctx.store, items, SANDBOX_MONTHLY_CAP.currency));
    const bySubscription = new Map<string, ReturnType<typeof toDecimal>>();
    cells.forEach((c, i) => bySubscription.set(c.keys[0], (bySubscription.get(c.keys[0]) ?? toDecimal('0')).plus(toDecimal(amounts[i]))));
    const subscriptions = await ctx.store.catalog.listSubscriptions(a.id, await ctx.store.catalog.customerIds(a.id));
    for (const s of subscriptions) names.set(`${a.id}|${s.id}`, s.friendlyName);
    for (const [subscriptionId, total] of bySubscription) {
      if (!subscriptionId) continue;
      // Compared to the cent: the sandbox stops accruing a hair below the cap (199.99999999 is at it).
      const monthToDate = normalizeDecimal(total.toDecimalPlaces(2, MoneyDecimal.ROUND_HALF_EVEN));
      statuses.push(
        evaluateSandboxCap(
          { subscriptionId, accountId: a.id, month, monthToDate, currency: SANDBOX_MONTHLY_CAP.currency },
          { thresholds: config.thresholds },
        ),
      );
    }
  }
  const evaluation = sandboxCapRuleEvaluation(rule.id, month, ctx.at.toISOString(), statuses, config.thresholds);
  // Without a forecast the forecast conditions can never be active: only actual spend is watched.
  const conditions = evaluation.conditions.filter((c) => c.thresholdId.includes(':actual:')).map((c) => ({ thresholdId: c.thresholdId, active: c.active }));
  const content = new Map<string, AlertFireContent>();
  const accountNames = new Map(accounts.map((a) => [a.id, a.name]));
  for (const s of statuses) {
    for (const p of config.thresholds) {
      const name = names.get(`${s.accountId}|${s.subscriptionId}`);
      const scope: ScopeRef[] = [
        { kind: 'account', id: s.accountId, ...(accountNames.get(s.accountId) ? { name: accountNames.get(s.accountId) } : {}) },
        { kind: 'subscription', id: s.subscriptionId, ...(name ? { name } : {}) },
      ];
      content.set(contentKey(month, `${s.subscriptionId}:actual:${p}`), {
        ruleName: rule.name,
        category: 'sandbox-cap',
        condition:
          p >= 100
            ? `Sandbox subscription ${name ?? s.subscriptionId} reached the ${s.currency} ${s.cap} monthly cap (usage stops accruing)`
            : `Sandbox subscription ${name ?? s.subscriptionId} reached ${p} % of the ${s.currency} ${s.cap} monthly cap`,
        value: { amount: s.monthToDate, currency: s.currency },
        limit: { amount: normalizeDecimal(toDecimal(s.cap).times(p).div(100)), currency: s.currency },
        accountIds: [s.accountId],
        detail: { scope, percent: p, usedPercent: s.usedPercent, remaining: s.remaining, month },
      });
    }
  }
  return { periods: 'single', groups: [{ periodKey: month, conditions }], content, status: null };
}
