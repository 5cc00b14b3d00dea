/**
 * Control API (no auth), for tests and tooling:
 *   GET /_sim/accounts
 *   GET /_sim/ground-truth?account=&from=YYYY-MM-DD&to=YYYY-MM-DD&groupBy=service,region (also customer,
 *       subscription, invoice ('' while unbilled) and source (billed | unbilled) at the current clock)
 *   GET /_sim/clock · POST /_sim/clock {"now": ISO} | {"advanceDays": n}
 *   GET /_sim/planted (reconciliation difference, overdue invoice, credit note)
 *   GET /_sim/exchange-rates?from=YYYY-MM&to=YYYY-MM (the pcToBC rate each account's line items carry, per month)
 */
import { CLOUDS } from './catalog';
import type { SimContext } from './context';
import { dayOf, dayToIso, monthStart, nextMonthStart, parseYmd } from './dates';
import { InvoiceBook } from './invoices';
import { hasGraph } from './graph-config';
import { decStr } from './money';
import { GROUP_KEYS, sumUsage, type GroundTruthRow, type GroupKey } from './usage';
import type { CloudId } from './catalog';

export interface AccountInfo {
  id: string;
  name: string;
  cloud: CloudId;
  /** API base URL; Partner Center paths (`/v1/customers`, …) hang below it. */
  baseUrl: string;
  /** Token authority (append `/{tenantId}/oauth2/token` or `/{tenantId}/oauth2/v2.0/token`). */
  authority: string;
  /** v1 token URL. */
  tokenUrl: string;
  /** Token resource (v2 scope: `{resource}/.default`). */
  resource: string;
  tenantId: string;
  appId: string;
  secret: string;
  /** Billing currency. */
  currency: string;
  pricingCurrency: string;
  sandbox: boolean;
  /** Microsoft Graph base (`…/v1.0`) of the billing export; global-cloud accounts only (decision 0015). */
  graphBaseUrl?: string;
  /** v2 token URL for the Graph scope (`https://graph.microsoft.com/.default`); global-cloud accounts only. */
  graphTokenUrl?: string;
}

export interface GroundTruthQuery {
  account: string;
  /** YYYY-MM-DD, inclusive */
  from: string;
  /** YYYY-MM-DD, inclusive */
  to: string;
  /** comma list or array of service | region | customer | subscription */
  groupBy?: string | readonly string[];
}

export interface GroundTruth {
  account: string;
  currency: string;
  from: string;
  to: string;
  groupBy: GroupKey[];
  rows: GroundTruthRow[];
  total: string;
  lineItems: number;
  /**
   * Line items the simulator serves malformed under the account's current fault config: not in
   * rows/total (a correct client quarantines them), counted and summed here.
   */
  malformed: { lineItems: number; amount: string };
}

export class SimParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

export const MAX_GROUND_TRUTH_DAYS = 1100;

export function accountInfos(ctx: SimContext): AccountInfo[] {
  const origin = ctx.publicUrl.replace(/\/+$/, '');
  return ctx.models.map((m) => {
    const authority = `${origin}/login/${m.def.cloud}`;
    return {
      id: m.def.id,
      name: m.def.name,
      cloud: m.def.cloud,
      baseUrl: `${origin}/pc/${m.def.id}`,
      authority,
      tokenUrl: `${authority}/${m.tenantId}/oauth2/token`,
      resource: CLOUDS[m.def.cloud].resource,
      tenantId: m.tenantId,
      appId: m.appId,
      secret: m.secret,
      currency: m.def.currency,
      pricingCurrency: m.def.pricingCurrency,
      sandbox: m.def.sandbox,
      ...(hasGraph(m) ? { graphBaseUrl: `${origin}/graph/${m.def.id}/v1.0`, graphTokenUrl: `${authority}/${m.tenantId}/oauth2/v2.0/token` } : {}),
    };
  });
}

export function groundTruth(ctx: SimContext, q: GroundTruthQuery): GroundTruth {
  if (!q.account) throw new SimParamError('account', "The parameter 'account' is required.");
  const gen = ctx.generators.get(q.account);
  if (!gen) throw new SimParamError('account', `The parameter 'account' value '${q.account}' is not a known account.`);
  if (!q.from) throw new SimParamError('from', "The parameter 'from' (YYYY-MM-DD) is required.");
  const from = parseYmd(q.from);
  if (from === null) throw new SimParamError('from', `The parameter 'from' value '${q.from}' is not a valid YYYY-MM-DD date.`);
  if (!q.to) throw new SimParamError('to', "The parameter 'to' (YYYY-MM-DD) is required.");
  const to = parseYmd(q.to);
  if (to === null) throw new SimParamError('to', `The parameter 'to' value '${q.to}' is not a valid YYYY-MM-DD date.`);
  if (to < from) throw new SimParamError('to', "The parameter 'to' must not be before 'from'.");
  if (to - from + 1 > MAX_GROUND_TRUTH_DAYS) throw new SimParamError('to', `The range 'from'..'to' must not exceed ${MAX_GROUND_TRUTH_DAYS} days.`);
  const rawGroup = q.groupBy === undefined ? [] : typeof q.groupBy === 'string' ? q.groupBy.split(',') : [...q.groupBy];
  const groupBy: GroupKey[] = [];
  for (const g0 of rawGroup) {
    const g = g0.trim();
    if (!g) continue;
    if (!(GROUP_KEYS as readonly string[]).includes(g)) throw new SimParamError('groupBy', `The parameter 'groupBy' value '${g}' is invalid; use any of ${GROUP_KEYS.join(', ')}.`);
    if (groupBy.includes(g as GroupKey)) throw new SimParamError('groupBy', `The parameter 'groupBy' lists '${g}' twice.`);
    groupBy.push(g as GroupKey);
  }
  // Usage exists only for days strictly before the simulation clock's current day.
  const toExcl = Math.min(to + 1, dayOf(ctx.clock()));
  const today = dayOf(ctx.clock());
  const model = ctx.byId.get(q.account)!;
  const billing = (it: { day: number }) => {
    const period = monthStart(it.day);
    return InvoiceBook.hasHistory(model) && InvoiceBook.closed(period, today)
      ? { invoice: ctx.invoices.invoiceId(model, period), source: 'billed' as const }
      : { invoice: '', source: 'unbilled' as const };
  };
  const r = sumUsage(gen, from, Math.max(from, toExcl), groupBy, (it) => ctx.faults.malformed(q.account, it.day, it.pos) !== null, billing);
  return {
    account: q.account,
    currency: gen.model.def.currency,
    from: q.from,
    to: q.to,
    groupBy,
    rows: r.rows,
    total: decStr(r.total),
    lineItems: r.lineItems,
    malformed: { lineItems: r.malformed.lineItems, amount: decStr(r.malformed.amount) },
  };
}

/** The configured pricing → billing rate of one account for one month, as its line items carry it. */
export interface ExchangeRateTruth {
  account: string;
  pricingCurrency: string;
  billingCurrency: string;
  /** YYYY-MM */
  period: string;
  /** pcToBCExchangeRate, exact. */
  rate: string;
  /** pcToBCExchangeRateDate (ISO). */
  rateDate: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Ground truth of the monthly rates, for tests that derive them back from synced line items. */
export function exchangeRates(ctx: SimContext, q: { from: string; to: string }): ExchangeRateTruth[] {
  for (const param of ['from', 'to'] as const) {
    if (!MONTH.test(q[param])) throw new SimParamError(param, `The parameter '${param}' must be a month as YYYY-MM.`);
  }
  const from = parseYmd(`${q.from}-01`)!;
  const to = parseYmd(`${q.to}-01`)!;
  if (to < from) throw new SimParamError('to', "The parameter 'to' must not be before 'from'.");
  const out: ExchangeRateTruth[] = [];
  for (const m of ctx.models) {
    const gen = ctx.generators.get(m.def.id)!;
    for (let day = from; day <= to; day = nextMonthStart(day)) {
      const info = gen.month(day);
      out.push({ account: m.def.id, pricingCurrency: m.def.pricingCurrency, billingCurrency: m.def.currency, period: dayToIso(day).slice(0, 7), rate: info.rateStr, rateDate: info.startIso });
    }
  }
  return out;
}
