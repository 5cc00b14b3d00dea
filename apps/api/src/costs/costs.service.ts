import { Inject, Injectable } from '@nestjs/common';
import type { BreakdownQuery, BreakdownResponse, CostFilterQuery, CostSummaryResponse } from '@meridian/contracts';
import { AccessScope, Store } from '@meridian/store';
import { FRESHNESS_STREAM } from '@meridian/sync';

/** Cost queries. Amounts stay exact decimal strings and are never added across currencies. */
@Injectable()
export class CostsService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async breakdown(scope: AccessScope, q: BreakdownQuery): Promise<BreakdownResponse> {
    const effective = scope.narrow(q.accountIds);
    const { rows, totals } = await this.store.costs.breakdown(effective, q.groupBy, this.filter(q));
    return {
      from: q.from,
      to: q.to,
      groupBy: q.groupBy,
      rows: rows.map((r) => ({ keys: r.keys, currency: r.currency, amount: r.amount })),
      totals,
      accountIds: await this.accountIdsIn(effective, q.includeSandbox),
    };
  }

  async summary(scope: AccessScope, q: CostFilterQuery): Promise<CostSummaryResponse> {
    const effective = scope.narrow(q.accountIds);
    const { rows, totals } = await this.store.costs.breakdown(effective, ['account'], this.filter(q));
    const accounts = (await this.store.accounts.list(effective)).filter((a) => q.includeSandbox || !a.sandbox);
    const status = await this.store.syncRuns.statusByAccount(accounts.map((a) => a.id), [FRESHNESS_STREAM]);
    return {
      from: q.from,
      to: q.to,
      totals,
      byAccount: accounts.map((a) => ({
        accountId: a.id,
        accountName: a.name,
        currency: a.currency,
        amount: rows.find((r) => r.keys.account === a.id && r.currency === a.currency)?.amount ?? '0',
        lastSuccessAt: status.get(a.id)?.lastSuccessAt ?? null,
      })),
    };
  }

  private filter(q: CostFilterQuery) {
    return { from: q.from, to: q.to, includeSandbox: q.includeSandbox };
  }

  private async accountIdsIn(scope: AccessScope, includeSandbox: boolean): Promise<string[]> {
    return (await this.store.accounts.list(scope)).filter((a) => includeSandbox || !a.sandbox).map((a) => a.id);
  }
}
