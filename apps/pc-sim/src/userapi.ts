/**
 * App+User-only reads (partner-center-api.md §5.6, §9): usage summaries, spending budgets,
 * subscription usage records, partner roles and their members. Estimates, not billing figures:
 * month to date at the simulation clock, from the same generator as daily rated usage (plus the
 * legacy subscription's utilization × rate card).
 */
import type { SimContext } from './context';
import { dayOf, dayToIso, monthStart, nextMonthStart } from './dates';
import { guidFrom, strHash32 } from './hash';
import { legacyCost, legacyOf } from './legacy';
import { Dec, decStr, ZERO } from './money';
import type { AccountModel, Customer } from './profile';

/** Partner roles (§9) with the reads each may do here. */
export const PARTNER_ROLES = [
  { name: 'Global admin', usage: true },
  { name: 'Admin agent', usage: true },
  { name: 'Sales agent', usage: false },
  { name: 'Helpdesk agent', usage: false },
  { name: 'Billing admin', usage: false },
  { name: 'User management admin', usage: false },
] as const;
export type PartnerRoleName = (typeof PARTNER_ROLES)[number]['name'];

export function isRoleName(s: string): s is PartnerRoleName {
  return PARTNER_ROLES.some((r) => r.name === s);
}

export function roleId(name: string): string {
  return guidFrom(`partner-role|${name}`);
}

export function canReadUsage(role: string | undefined): boolean {
  return PARTNER_ROLES.some((r) => r.name === role && r.usage);
}

const FIRST = ['Ada', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kim', 'Lena'];
const LAST = ['Nakamura', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Silva', 'Tan', 'Udall', 'Varga', 'Weber'];

export interface PartnerUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  role: PartnerRoleName;
}

/** One or two users per role, deterministic per account. */
export function partnerUsers(acct: AccountModel): PartnerUser[] {
  const domain = `${acct.def.id.replace(/[^a-z0-9]/g, '')}partner.onmicrosoft.com`;
  const out: PartnerUser[] = [];
  PARTNER_ROLES.forEach((r, i) => {
    const n = 1 + (strHash32(`${acct.seed}|${acct.def.id}|users|${r.name}`) % 2);
    for (let k = 0; k < n; k++) {
      const h = strHash32(`${acct.seed}|${acct.def.id}|user|${i}|${k}`);
      const first = FIRST[h % FIRST.length];
      const last = LAST[(h >>> 8) % LAST.length];
      out.push({
        id: guidFrom(`${acct.seed}|${acct.def.id}|user|${i}|${k}`),
        userPrincipalName: `${first.toLowerCase()}.${last.toLowerCase()}${i}${k}@${domain}`,
        displayName: `${first} ${last}`,
        role: r.name,
      });
    }
  });
  return out;
}

const LOCALES: Record<string, string> = { USD: 'en-US', EUR: 'de-DE', CNY: 'zh-CN', GBP: 'en-GB' };
const USD_PER: Record<string, string> = { USD: '1', EUR: '1.08', GBP: '1.27', CNY: '0.14' };

/** Default spending budget of a customer (null = none), before any PATCH. */
function defaultBudget(acct: AccountModel, c: Customer): number | null {
  const h = strHash32(`${acct.seed}|${acct.def.id}|budget|${c.id}`);
  if (h % 3 === 0) return null;
  return [100, 500, 1000, 2500, 5000, 10000][(h >>> 4) % 6];
}

export class UsageBook {
  private readonly budgets = new Map<string, number | null>();
  private cache: { key: string; byCustomer: Map<string, { total: Dec; plan: Dec; legacy: Dec }> } | null = null;

  constructor(private readonly ctx: SimContext) {}

  budget(acct: AccountModel, c: Customer): number | null {
    const k = `${acct.def.id}|${c.id}`;
    return this.budgets.has(k) ? this.budgets.get(k)! : defaultBudget(acct, c);
  }

  setBudget(acct: AccountModel, c: Customer, amount: number | null): void {
    this.budgets.set(`${acct.def.id}|${c.id}`, amount);
  }

  /** Month-to-date costs per customer at the clock (Azure plan usage + legacy utilization). */
  private monthToDate(acct: AccountModel): Map<string, { total: Dec; plan: Dec; legacy: Dec }> {
    const today = dayOf(this.ctx.clock());
    const from = monthStart(today);
    const key = `${acct.def.id}|${today}`;
    if (this.cache?.key === key) return this.cache.byCustomer;
    const byCustomer = new Map(acct.customers.map((c) => [c.id, { total: ZERO, plan: ZERO, legacy: ZERO }]));
    for (const it of this.ctx.generators.get(acct.def.id)!.items(from, today)) {
      const row = byCustomer.get(it.slot.ent.customer.id)!;
      row.plan = row.plan.plus(it.billingTotal);
    }
    for (const c of acct.customers) {
      const row = byCustomer.get(c.id)!;
      const l = legacyOf(acct, c);
      if (l) row.legacy = legacyCost(acct, l, from, today);
      row.total = row.plan.plus(row.legacy);
    }
    this.cache = { key, byCustomer };
    return byCustomer;
  }

  private usd(acct: AccountModel, x: Dec): number {
    return Number(x.times(USD_PER[acct.def.currency] ?? '1').toFixed(2));
  }

  customerSummary(acct: AccountModel, c: Customer): unknown {
    const today = dayOf(this.ctx.clock());
    const row = this.monthToDate(acct).get(c.id)!;
    const budget = this.budget(acct, c);
    return {
      budget: { amount: budget },
      resourceId: c.id,
      resourceName: c.companyName,
      billingStartDate: dayToIso(monthStart(today)),
      billingEndDate: dayToIso(nextMonthStart(today)),
      totalCost: Number(row.total.toFixed(2)),
      currencyCode: acct.def.currency,
      usdTotalCost: this.usd(acct, row.total),
      lastModifiedDate: dayToIso(today),
      links: { self: { uri: `/customers/${c.id}/usagesummary`, method: 'GET', headers: [] } },
      attributes: { objectType: 'CustomerUsageSummary' },
    };
  }

  subscriptionRecords(acct: AccountModel, c: Customer): unknown[] {
    const today = dayOf(this.ctx.clock());
    const row = this.monthToDate(acct).get(c.id)!;
    const rec = (id: string, name: string, offerId: string, cost: Dec) => ({
      id,
      name,
      offerId,
      resourceId: id,
      resourceName: name,
      totalCost: Number(cost.toFixed(2)),
      currencyCode: acct.def.currency,
      usdTotalCost: this.usd(acct, cost),
      lastModifiedDate: dayToIso(today),
      attributes: { objectType: 'SubscriptionMonthlyUsageRecord' },
    });
    const out = [rec(c.plan.id, c.plan.friendlyName, c.plan.offerId, row.plan)];
    const l = legacyOf(acct, c);
    if (l) out.push(rec(l.sub.id, l.sub.friendlyName, l.sub.offerId, row.legacy));
    return out;
  }

  /** Partner summary: ignores Azure plan usage (§5.6), so only legacy usage counts in totalCost. */
  partnerSummary(acct: AccountModel): unknown {
    const today = dayOf(this.ctx.clock());
    const from = monthStart(today);
    const days = nextMonthStart(today) - from;
    const elapsed = Math.max(1, today - from);
    const mtd = this.monthToDate(acct);
    let over = 0;
    let trending = 0;
    let legacy = ZERO;
    for (const c of acct.customers) {
      const row = mtd.get(c.id)!;
      legacy = legacy.plus(row.legacy);
      const b = this.budget(acct, c);
      if (b === null) continue;
      if (row.total.gt(b)) over++;
      else if (row.total.div(elapsed).times(days).gt(b)) trending++;
    }
    return {
      customersOverBudget: over,
      customersTrendingOver: trending,
      customersWithUsageBasedSubscription: acct.customers.length,
      resourceId: acct.tenantId,
      resourceName: acct.def.name,
      billingStartDate: dayToIso(from),
      billingEndDate: dayToIso(nextMonthStart(today)),
      totalCost: Number(decStr(legacy.toDecimalPlaces(2, Dec.ROUND_HALF_UP))),
      currencyLocale: LOCALES[acct.def.currency] ?? 'en-US',
      lastModifiedDate: dayToIso(today),
      links: { self: { uri: '/usagesummary', method: 'GET', headers: [] } },
      attributes: { objectType: 'PartnerUsageSummary' },
    };
  }
}
