import type { InvalidRecord } from '@meridian/partner-center';
import type { CostRow } from '@meridian/store';
import { mapUsageLineItem } from '../usage/usage-line-item.mapper';
import type { StreamContext, SyncStreamRunner } from './stream-context';

/**
 * Iterates pages while the next one is already being fetched and parsed: the download of page
 * n+1 overlaps the database write of page n. One page ahead at most, so memory stays flat.
 */
export async function* prefetched<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const it = pages[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      // If the consumer stops (error, return), the pending fetch must not become an unhandled rejection.
      next.catch(() => undefined);
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

/** Partner Center serves unbilled usage for the previous and the current billing period only. */
const PERIODS = ['previous', 'current'] as const;

/**
 * Unbilled daily rated usage: each page goes validate → map → bulk upsert → progress, so memory
 * stays flat whatever the volume. After a complete read of a period, unbilled rows of that period
 * this run did not see are deleted: they were estimates Partner Center no longer reports.
 */
export class UnbilledUsageStream implements SyncStreamRunner {
  readonly stream = 'unbilled-usage' as const;

  async run(ctx: StreamContext): Promise<void> {
    const mapping = { accountId: ctx.accountId, cloud: ctx.cloud, currency: ctx.currency, syncRunId: ctx.runId, ingestedAt: new Date().toISOString() };
    // A period whose invoice already replaced its estimates stays billed, even if Partner Center
    // still lists it as unbilled for a while around month close.
    const billed = await ctx.store.invoices.billedPeriods(ctx.accountId);
    for (const period of PERIODS) {
      let billingPeriodStart: string | undefined;
      for await (const page of prefetched(ctx.client.unbilledUsage({ currency: ctx.currency, period, pageSize: ctx.usagePageSize }))) {
        const rows: CostRow[] = [];
        const invalid: InvalidRecord[] = [...page.invalid];
        for (const item of page.items) {
          const mapped = mapUsageLineItem(item, mapping);
          if (!mapped.ok) invalid.push({ record: item, reason: mapped.reason });
          else if (!billed.has(mapped.row.billingPeriodStart)) rows.push(mapped.row);
        }
        await ctx.store.costs.upsert(rows);
        for (const row of rows) ctx.touchedPeriods.add(row.billingPeriodStart);
        await ctx.quarantine(invalid);
        billingPeriodStart ??= rows[0]?.billingPeriodStart;
        await ctx.pageDone(rows.length);
      }
      if (billingPeriodStart) {
        await ctx.store.costs.deleteUnbilledNotWrittenBy(ctx.accountId, billingPeriodStart, ctx.runId);
      }
    }
    // `billed` was read when the run began: if an invoice of a period read here was promoted in the
    // meantime (another stream of this account), estimates written after that must go too.
    for (const period of await ctx.store.costs.deleteUnbilledOfBilledPeriods(ctx.accountId)) ctx.touchedPeriods.add(period);
  }
}
