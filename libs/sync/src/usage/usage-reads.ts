import type { DailyRatedUsageLineItem, GraphExportRequest, InvalidRecord } from '@meridian/partner-center';
import type { StreamContext } from '../streams/stream-context';
import { prefetched } from './prefetched';
import { readPathFor, type BillingDataset, type ReadPath } from './read-path';

/** One page (v1) or batch (Graph export) of daily rated usage, in the same validated model. */
export interface UsagePage {
  items: DailyRatedUsageLineItem[];
  invalid: InvalidRecord[];
  /** Call once the page's rows are stored: a Graph export records its checkpoint here. */
  stored(): Promise<void>;
}

/** A Graph checkpoint older than this is not resumed: a fresh export is cheaper than stale data. */
const CHECKPOINT_MAX_AGE_MS = 6 * 3600_000;

/**
 * Reads one usage data set of an account through the path §5.4 gives it (readPathFor), page by
 * page. For a Graph export it resumes from the stored checkpoint and remembers which runs wrote
 * rows under it, so a stale-row cleanup after a resumed export spares the rows of the run that died.
 */
export class UsageRead {
  readonly path: ReadPath;
  /** Sync runs whose rows make up this read (more than one after a resumed Graph export). */
  writers: string[];
  /**
   * Key of the Graph checkpoint: the data set and what it names (the month for unbilled periods).
   * Fixed when the read starts, so the checkpoint it saves is the one it deletes, even across midnight
   * at a month's end.
   */
  private readonly exportKey: string;

  constructor(
    private readonly ctx: StreamContext,
    private readonly dataset: Extract<BillingDataset, 'usage-unbilled' | 'usage-billed'>,
    private readonly target: { period: 'current' | 'previous'; periodStart?: undefined } | { invoiceId: string; currency: string; periodStart: string },
  ) {
    this.path = readPathFor({ cloud: ctx.cloud, dataset, periodStart: target.periodStart, usageApi: ctx.usageApi });
    this.writers = [ctx.runId];
    this.exportKey = exportKeyOf(dataset, target, ctx);
    ctx.usedReadPath(this.path);
  }

  pages(): AsyncGenerator<UsagePage> {
    return this.path === 'graph' ? this.graphPages() : this.v1Pages();
  }

  /** Graph export finished and its rows are final: the checkpoint goes. */
  async done(): Promise<void> {
    if (this.path === 'graph') await this.ctx.store.graphCheckpoints.delete(this.ctx.accountId, this.exportKey);
  }

  private async *v1Pages(): AsyncGenerator<UsagePage> {
    const { client, usagePageSize: pageSize } = this.ctx;
    const pages =
      'invoiceId' in this.target
        ? client.billedUsage({ invoiceId: this.target.invoiceId, currency: this.target.currency, pageSize })
        : client.unbilledUsage({ currency: this.ctx.currency, period: this.target.period, pageSize });
    for await (const page of prefetched(pages)) yield { items: page.items, invalid: page.invalid, stored: async () => undefined };
  }

  private async *graphPages(): AsyncGenerator<UsagePage> {
    const { ctx } = this;
    const key = this.exportKey;
    let saved = await ctx.store.graphCheckpoints.get(ctx.accountId, key);
    if (saved && Date.now() - Date.parse(saved.updatedAt) > CHECKPOINT_MAX_AGE_MS) saved = null;
    if (saved) this.writers = [...new Set([...saved.runIds, ctx.runId])];
    const request: GraphExportRequest =
      'invoiceId' in this.target ? { kind: 'billed', invoiceId: this.target.invoiceId } : { kind: 'unbilled', currency: ctx.currency, period: this.target.period === 'previous' ? 'last' : 'current' };
    const exportProgress = ctx.startExportProgress();
    const batches = ctx.client.graphUsageExport(request, {
      checkpoint: saved ? { operationUrl: saved.operationUrl, eTag: saved.eTag, blobIndex: saved.blobIndex, lineInBlob: saved.lineInBlob } : undefined,
      onProgress: (p) => exportProgress.report(p),
    });
    try {
      for await (const batch of prefetched(batches)) {
        // A new export replaced the resumed one: every row is read again by this run.
        if (batch.restarted) this.writers = [ctx.runId];
        const writers = this.writers;
        yield {
          items: batch.items,
          invalid: batch.invalid,
          stored: () => ctx.store.graphCheckpoints.save(ctx.accountId, key, { ...batch.checkpoint, runIds: writers }),
        };
      }
    } finally {
      exportProgress.end();
    }
  }
}

function exportKeyOf(dataset: string, target: { period: 'current' | 'previous' } | { invoiceId: string }, ctx: Pick<StreamContext, 'now' | 'currency'>): string {
  if ('invoiceId' in target) return `${dataset}:${target.invoiceId}`;
  const now = ctx.now();
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (target.period === 'previous' ? 1 : 0), 1)).toISOString().slice(0, 7);
  return `${dataset}:${month}:${ctx.currency}`;
}

