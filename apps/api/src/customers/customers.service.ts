import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { CustomerList, CustomersQuery, SubscriptionList } from '@meridian/contracts';
import { lastDayOfMonth, sumDecimals } from '@meridian/finops';
import { AccessScope, Store } from '@meridian/store';
import { apiToday } from '../common/clock';

/** Customers and subscriptions of the granted accounts, each with its cost of one month. */
@Injectable()
export class CustomersService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async list(scope: AccessScope, q: CustomersQuery): Promise<CustomerList> {
    const effective = scope.narrow(q.accountIds);
    const accounts = (await this.store.accounts.list(effective)).filter((a) => q.includeSandbox || !a.sandbox);
    const month = q.month ?? apiToday().slice(0, 7);
    const customers = await this.store.catalog.listCustomers(effective, accounts.map((a) => a.id), q.search);
    const costs = await this.store.costs.aggregate(effective, ['account', 'customer'], { ...this.range(month), includeSandbox: q.includeSandbox });
    const cost = new Map(costs.map((c) => [`${c.keys[0]}/${c.keys[1]}/${c.currency}`, c.amount]));
    const subscriptionCounts = new Map<string, number>();
    for (const a of accounts) {
      const ids = customers.filter((c) => c.accountId === a.id).map((c) => c.id);
      for (const s of await this.store.catalog.listSubscriptions(a.id, ids)) {
        // Count what a customer buys: plans and legacy offers, not the Azure subscriptions inside a plan.
        if (s.parentId === null) subscriptionCounts.set(`${a.id}/${s.customerId}`, (subscriptionCounts.get(`${a.id}/${s.customerId}`) ?? 0) + 1);
      }
    }
    const byId = new Map(accounts.map((a) => [a.id, a]));
    return {
      month,
      items: customers.map((c) => {
        const account = byId.get(c.accountId)!;
        return {
          accountId: c.accountId,
          accountName: account.name,
          id: c.id,
          name: c.companyName,
          domain: c.domain,
          country: c.country,
          subscriptionCount: subscriptionCounts.get(`${c.accountId}/${c.id}`) ?? 0,
          currency: account.currency,
          cost: cost.get(`${c.accountId}/${c.id}/${account.currency}`) ?? '0',
        };
      }),
    };
  }

  async subscriptions(scope: AccessScope, accountId: string, customerId: string, monthParam: string | undefined): Promise<SubscriptionList> {
    const customer = await this.store.catalog.getCustomer(scope, accountId, customerId);
    const account = customer && (await this.store.accounts.get(scope, accountId));
    if (!customer || !account) throw new NotFoundException(`No customer ${customerId} in account ${accountId}`);
    const month = monthParam ?? apiToday().slice(0, 7);
    const costs = await this.store.costs.aggregate(scope, ['subscription'], {
      ...this.range(month),
      includeSandbox: true,
      where: { account: [accountId], customer: [customerId] },
    });
    // Usage is booked on the Azure subscription (entitlement); a plan's cost is the sum of its own.
    const byEntitlement = new Map(costs.filter((c) => c.currency === account.currency).map((c) => [c.keys[0], c.amount]));
    const subs = await this.store.catalog.listSubscriptions(accountId, [customerId]);
    const items = subs.map((s) => {
      const children = subs.filter((child) => child.parentId === s.id).map((child) => byEntitlement.get(child.id) ?? '0');
      const own = byEntitlement.get(s.id) ?? '0';
      return {
        id: s.id,
        customerId: s.customerId,
        kind: s.kind,
        parentId: s.parentId,
        name: s.friendlyName,
        offerId: s.offerId,
        status: s.status,
        currency: account.currency,
        cost: children.length ? sumDecimals([own, ...children]) : own,
      };
    });
    return { month, items };
  }

  private range(month: string): { from: string; to: string } {
    const today = apiToday();
    return { from: `${month}-01`, to: month === today.slice(0, 7) ? today : lastDayOfMonth(month) };
  }
}
