import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { InvalidRecord } from '@meridian/partner-center';
import type { CostRow } from '@meridian/store';
import { MAP_SLICE, mapUsageLineItem } from '../usage/usage-line-item.mapper';
import { UsageRead } from '../usage/usage-reads';
import type { StreamContext, SyncStreamRunner } from './stream-context';

/** Partner Center serves unbilled usage for the previous and the current billing period only. */
const PERIODS = ['previous', 'current'] as const;

/**
 * Unbilled daily rated usage, through v1 pages or the Graph export as §5.4 says for the account's
 * cloud: each page goes validate → map → bulk upsert → progress, so memory stays flat whatever the
 * volume. After a complete read of a period, unbilled rows of that period this read did not write
 * are deleted: they were estimates Partner Center no longer reports.
 */
export class UnbilledUsageStream implements SyncStreamRunner {
  readonly stream = 'unbilled-usage' as const;

  async run(ctx: StreamContext): Promise<void> {
    const mapping = { accountId: ctx.accountId, cloud: ctx.cloud, currency: ctx.currency, syncRunId: ctx.runId, ingestedAt: new Date().toISOString() };
    // A period whose invoice already replaced its estimates stays billed, even if Partner Center
    // still lists it as unbilled for a while around month close.
    const billed = await ctx.store.invoices.billedPeriods(ctx.accountId);
    for (const period of PERIODS) {
      const read = new UsageRead(ctx, 'usage-unbilled', { period });
      let billingPeriodStart: string | undefined;
      for await (const page of read.pages()) {
        const rows: CostRow[] = [];
        const invalid: InvalidRecord[] = [...page.invalid];
        for (const [i, item] of page.items.entries()) {
          if (i > 0 && i % MAP_SLICE === 0) await yieldToEventLoop();
          const mapped = mapUsageLineItem(item, mapping);
          if (!mapped.ok) invalid.push({ record: item, reason: mapped.reason });
          else if (!billed.has(mapped.row.billingPeriodStart)) rows.push(mapped.row);
        }
        await ctx.store.costs.upsertInCommits(rows);
        await ctx.quarantine(invalid);
        billingPeriodStart ??= rows[0]?.billingPeriodStart;
        await page.stored();
        await ctx.pageDone(rows.length);
      }
      if (billingPeriodStart) {
        await ctx.store.costs.deleteUnbilledNotWrittenBy(ctx.accountId, billingPeriodStart, read.writers);
      }
      await read.done();
    }
    // `billed` was read when the run began: if an invoice of a period read here was promoted in the
    // meantime (another stream of this account), estimates written after that must go too.
    await ctx.store.costs.deleteUnbilledOfBilledPeriods(ctx.accountId);
  }
}
