import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { InvalidRecord } from '@meridian/partner-center';
import type { CostRow, InvoiceEntity } from '@meridian/store';
import { MAP_SLICE, mapUsageLineItem } from '../usage/usage-line-item.mapper';
import { UsageRead } from '../usage/usage-reads';
import type { StreamContext } from './stream-context';

/**
 * Reads one invoice's billed daily rated usage (§5.2 v1 pages, or the Graph billed-usage export in
 * the global cloud) and, once every page is stored, replaces the period's unbilled estimates with it
 * in one transaction (DESIGN §3). Pages are written as 'pending' so no reader sees estimates and
 * final rows of one period at once; a run that dies leaves only pending rows, which the next run
 * overwrites (same natural keys) and then promotes. The invoice's checkpoint is set last: a crash
 * before it means the invoice is read again (a Graph export resumes from its blob checkpoint).
 */
export async function syncBilledUsage(ctx: StreamContext, invoice: InvoiceEntity): Promise<number> {
  const mapping = { accountId: ctx.accountId, cloud: ctx.cloud, currency: ctx.currency, syncRunId: ctx.runId, ingestedAt: new Date().toISOString(), invoiceId: invoice.id };
  const read = new UsageRead(ctx, 'usage-billed', { invoiceId: invoice.id, currency: invoice.currency || ctx.currency, periodStart: invoice.billingPeriodStart });
  let written = 0;
  for await (const page of read.pages()) {
    const rows: CostRow[] = [];
    const invalid: InvalidRecord[] = [...page.invalid];
    for (const [i, item] of page.items.entries()) {
      if (i > 0 && i % MAP_SLICE === 0) await yieldToEventLoop();
      const mapped = mapUsageLineItem(item, mapping);
      if (!mapped.ok) invalid.push({ record: item, reason: mapped.reason });
      else if (mapped.row.billingPeriodStart !== invoice.billingPeriodStart) {
        invalid.push({ record: item, reason: `chargeStartDate: ${mapped.row.billingPeriodStart} is outside invoice ${invoice.id}'s period starting ${invoice.billingPeriodStart}` });
      } else rows.push(mapped.row);
    }
    await ctx.store.costs.upsertInCommits(rows);
    await ctx.quarantine(invalid);
    await page.stored();
    written += rows.length;
    await ctx.pageDone(rows.length);
  }
  // The invoice's count is what the store holds for it, not `written`: a run that resumed another
  // run's Graph export wrote only the lines after the checkpoint (the run's own progress counts those).
  const billedRows = await ctx.store.costs.replaceUnbilledWithBilled(ctx.accountId, invoice.billingPeriodStart, invoice.id);
  await ctx.store.invoices.markBilledUsageSynced(ctx.accountId, invoice.id, billedRows);
  await read.done();
  return written;
}
