import { AZURE_PLAN_PRODUCT_ID, LEGACY_AZURE_OFFER_ID } from '@meridian/partner-center';
import type { SubscriptionEntity } from '@meridian/store';
import type { StreamContext, SyncStreamRunner } from './stream-context';

/** CSP subscriptions of every stored customer, and the Azure subscriptions of each Azure plan. */
export class SubscriptionsStream implements SyncStreamRunner {
  readonly stream = 'subscriptions' as const;

  async run(ctx: StreamContext): Promise<void> {
    for (const customerId of await ctx.store.catalog.customerIds(ctx.accountId)) {
      const page = await ctx.client.listSubscriptions(customerId);
      const rows: SubscriptionEntity[] = [];
      for (const s of page.items) {
        const isPlan = (s.offerId || '').startsWith(AZURE_PLAN_PRODUCT_ID);
        rows.push({
          accountId: ctx.accountId,
          id: s.id,
          customerId,
          parentId: null,
          kind: isPlan ? 'azure_plan' : s.offerId === LEGACY_AZURE_OFFER_ID ? 'legacy_azure' : 'license',
          offerId: s.offerId || null,
          friendlyName: s.friendlyName || s.offerName || s.id,
          status: s.status || 'unknown',
          syncRunId: ctx.runId,
        });
        if (!isPlan) continue;
        const entitlements = await ctx.client.listAzureEntitlements(customerId, s.id);
        for (const e of entitlements.items) {
          rows.push({
            accountId: ctx.accountId,
            id: e.id,
            customerId,
            parentId: s.id,
            kind: 'azure_subscription',
            offerId: null,
            friendlyName: e.friendlyName || e.id,
            status: e.status || 'unknown',
            syncRunId: ctx.runId,
          });
        }
        await ctx.quarantine(entitlements.invalid);
      }
      await ctx.store.catalog.upsertSubscriptions(rows);
      await ctx.quarantine(page.invalid);
      await ctx.pageDone(rows.length);
    }
  }
}
