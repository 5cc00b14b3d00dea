import type { CustomerEntity } from '@meridian/store';
import type { StreamContext, SyncStreamRunner } from './stream-context';

export class CustomersStream implements SyncStreamRunner {
  readonly stream = 'customers' as const;

  async run(ctx: StreamContext): Promise<void> {
    for await (const page of ctx.client.listCustomers({ pageSize: 100 })) {
      const rows: CustomerEntity[] = page.items.map((c) => ({
        accountId: ctx.accountId,
        id: c.id,
        companyName: c.companyProfile?.companyName || c.billingProfile?.companyName || c.id,
        domain: c.companyProfile?.domain || null,
        country: c.billingProfile?.defaultAddress?.country || null,
        relationshipToPartner: c.relationshipToPartner || null,
        syncRunId: ctx.runId,
      }));
      await ctx.store.catalog.upsertCustomers(rows);
      await ctx.quarantine(page.invalid);
      await ctx.pageDone(rows.length);
    }
  }
}
