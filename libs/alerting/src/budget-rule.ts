import type { AlertRule, BudgetScopeDto } from '@meridian/contracts';
import {
  addDays,
  addMonths,
  budgetPeriodOf,
  evaluateBudget,
  firstDayOfMonth,
  forecastCosts,
  monthOf,
  MoneyDecimal,
  normalizeDecimal,
  toDecimal,
  type BudgetPeriodWindow,
} from '@meridian/finops';
import type { ScopeRef } from '@meridian/notify';
import { AccessScope, type AlertFireContent, CostFilter, Store } from '@meridian/store';
import { dailyCostsIn, sumBetween, type DayAmount } from './cost-series';
import { contentKey, RuleConditions, RuleContext, utcDay } from './rule-conditions';

type BudgetConfig = NonNullable<AlertRule['budget']>;

/** History the forecast looks at before the period: 8 weeks feed its trend, 4 its weekday profile. */
const FORECAST_HISTORY_DAYS = 8 * 7;

/**
 * Forecast total of a budget period seen from `asOf` (the last complete day): spend in the period
 * up to asOf, plus the predicted rest of asOf's month, plus each later month of the period (months
 * beyond the model's three repeat its third: a yearly budget's far months are a flat guess).
 */
export function forecastPeriodTotal(series: readonly DayAmount[], asOf: string, window: BudgetPeriodWindow): string {
  const known = toDecimal(sumBetween(series, window.start, asOf < window.end ? asOf : window.end));
  if (asOf >= window.end) return normalizeDecimal(known);
  const forecast = forecastCosts(series, asOf);
  let rest = new MoneyDecimal(0);
  if (asOf >= window.start) rest = rest.plus(toDecimal(forecast.monthEnd.predictedRest));
  const last = forecast.nextMonths[forecast.nextMonths.length - 1];
  for (let i = 0, m = addMonths(monthOf(asOf), 1); firstDayOfMonth(m) <= window.end; i++, m = addMonths(m, 1)) {
    if (firstDayOfMonth(m) < window.start) continue;
    rest = rest.plus(toDecimal((forecast.nextMonths[i] ?? last).total));
  }
  return normalizeDecimal(known.plus(rest));
}

/** The cost query of a budget scope. Sandbox spend counts only when the budget names its account. */
export function budgetCostQuery(scope: BudgetScopeDto): { access: AccessScope; where: CostFilter['where']; includeSandbox: boolean; accountIds: string[] } {
  switch (scope.kind) {
    case 'all':
      return { access: AccessScope.all(), where: undefined, includeSandbox: false, accountIds: [] };
    case 'cloud':
      return { access: AccessScope.all(), where: { cloud: [scope.cloud] }, includeSandbox: false, accountIds: [] };
    case 'account':
      return { access: AccessScope.accounts([scope.accountId]), where: undefined, includeSandbox: true, accountIds: [scope.accountId] };
    case 'customer':
      return { access: AccessScope.accounts([scope.accountId]), where: { customer: [scope.customerId] }, includeSandbox: true, accountIds: [scope.accountId] };
    case 'subscription':
      return {
        access: AccessScope.accounts([scope.accountId]),
        where: { subscription: [scope.subscriptionId] },
        includeSandbox: true,
        accountIds: [scope.accountId],
      };
    case 'service':
      return scope.accountId
        ? { access: AccessScope.accounts([scope.accountId]), where: { service: [scope.service] }, includeSandbox: true, accountIds: [scope.accountId] }
        : { access: AccessScope.all(), where: { service: [scope.service] }, includeSandbox: false, accountIds: [] };
  }
}

/** Where the budget applies, for the notification ("account Contoso EU (eu) › service Virtual Machines"). */
export async function budgetScopeRefs(store: Store, scope: BudgetScopeDto): Promise<ScopeRef[]> {
  const accountName = async (id: string) => (await store.accounts.get(AccessScope.all(), id))?.name;
  const account = async (id: string): Promise<ScopeRef> => {
    const name = await accountName(id);
    return { kind: 'account', id, ...(name ? { name } : {}) };
  };
  switch (scope.kind) {
    case 'all':
      return [{ kind: 'all' }];
    case 'cloud':
      return [{ kind: 'cloud', id: scope.cloud }];
    case 'account':
      return [await account(scope.accountId)];
    case 'customer': {
      const customer = await store.catalog.getCustomer(AccessScope.all(), scope.accountId, scope.customerId);
      return [await account(scope.accountId), { kind: 'customer', id: scope.customerId, ...(customer ? { name: customer.companyName } : {}) }];
    }
    case 'subscription':
      return [await account(scope.accountId), { kind: 'subscription', id: scope.subscriptionId }];
    case 'service':
      return [...(scope.accountId ? [await account(scope.accountId)] : []), { kind: 'service', id: scope.service, name: scope.service }];
  }
}

const PERIOD_WORDS: Record<BudgetConfig['period'], string> = { monthly: 'month', quarterly: 'quarter', yearly: 'year' };

/**
 * A budget now: actual spend of the period to date and the forecast for the whole period, in the
 * budget's currency, against each threshold. "Today" is the evaluation's UTC date; the forecast
 * stands on complete days only (up to yesterday).
 */
export async function budgetConditions(rule: AlertRule, budget: BudgetConfig, ctx: RuleContext): Promise<RuleConditions> {
  const today = utcDay(ctx.at);
  const asOf = addDays(today, -1);
  const window = budgetPeriodOf(budget.period, today);
  const query = budgetCostQuery(budget.scope);
  const series = await dailyCostsIn(
    ctx.store,
    query.access,
    { from: addDays(window.start, -FORECAST_HISTORY_DAYS), to: today, includeSandbox: query.includeSandbox, ...(query.where ? { where: query.where } : {}) },
    budget.currency,
  );
  const actual = sumBetween(series, window.start, today);
  const forecastTotal = forecastPeriodTotal(series.filter((d) => d.day <= asOf), asOf, window);
  // Spend already booked today can put the actual above a forecast built on complete days.
  const forecast = MoneyDecimal.max(toDecimal(forecastTotal), toDecimal(actual));
  const evaluation = evaluateBudget(
    { id: rule.id, name: rule.name, scope: { kind: budget.scope.kind }, period: budget.period, amount: budget.amount, currency: budget.currency, thresholds: budget.thresholds },
    actual,
    normalizeDecimal(forecast),
  );
  const refs = await budgetScopeRefs(ctx.store, budget.scope);
  const content = new Map<string, AlertFireContent>();
  for (const t of evaluation.thresholds) {
    const what = t.basis === 'actual' ? `Actual spend this ${PERIOD_WORDS[budget.period]}` : `Forecast for the ${PERIOD_WORDS[budget.period]}`;
    content.set(contentKey(window.key, t.thresholdId), {
      ruleName: rule.name,
      category: 'budget',
      condition: `${what} reached ${t.percent} % of the budget`,
      value: { amount: t.value, currency: budget.currency },
      limit: { amount: t.limit, currency: budget.currency },
      accountIds: query.accountIds,
      detail: {
        scope: refs,
        basis: t.basis,
        percent: t.percent,
        usedPercent: t.usedPercent,
        budgetAmount: evaluation.amount,
        actual: evaluation.actual,
        forecast: evaluation.forecast,
        periodStart: window.start,
        periodEnd: window.end,
      },
    });
  }
  return {
    periods: 'single',
    groups: [{ periodKey: window.key, conditions: evaluation.thresholds.map((t) => ({ thresholdId: t.thresholdId, active: t.crossed })) }],
    content,
    status: {
      actual: evaluation.actual,
      forecast: evaluation.forecast,
      currency: budget.currency,
      usedPercent: toDecimal(evaluation.amount).isZero()
        ? null
        : toDecimal(evaluation.actual).div(toDecimal(evaluation.amount)).times(100).toDecimalPlaces(2, MoneyDecimal.ROUND_HALF_EVEN).toFixed(2),
      periodKey: window.key,
    },
  };
}
