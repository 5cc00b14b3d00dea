import type { InvalidRecord } from '@meridian/partner-center';
import { addLogContext, type MeridianMetrics } from '@meridian/observability';
import type { Store, SyncProgress } from '@meridian/store';
import { PartnerCenterClients } from './partner-center-clients';
import { INTERRUPTED_ERROR_PREFIX, SYNC_STREAMS, type MonthRange, type SyncStream } from './queue/sync-queue';
import { BackfillStream, InvoicesStream } from './streams/invoices.stream';
import { CustomersStream } from './streams/customers.stream';
import type { StreamContext, SyncStreamRunner } from './streams/stream-context';
import { SubscriptionsStream } from './streams/subscriptions.stream';
import { UnbilledUsageStream } from './streams/unbilled-usage.stream';
import { PricesStream } from './streams/prices.stream';
import { LegacyUtilizationStream } from './streams/legacy-utilization.stream';
import { ExportProgressReporter } from './usage/export-progress';
import { ForegroundLoad, GiveWayToRequests } from './worker/foreground-load';

export interface SyncLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface RunOptions {
  /** Called after every page (the CLI draws its progress bar from it). */
  onProgress?: (event: { stream: SyncStream; runId: string } & SyncProgress) => void;
  /** Backfill: the months to read. */
  range?: MonthRange;
  /**
   * Graceful shutdown: once aborted, the run stops after the page it is writing has committed (and
   * its checkpoint saved), recorded as interrupted, and the next start resumes it.
   */
  signal?: AbortSignal;
}

class SyncInterrupted extends Error {}

export interface AccountSyncResult {
  /** interrupted: stopped by a shutdown between two pages (RunOptions.signal). */
  status: 'succeeded' | 'failed' | 'interrupted';
  progress: SyncProgress;
  error?: string;
  runIds: string[];
}

/**
 * Runs an account's streams with that account's own client and credentials. Each stream run is a
 * `sync_run` row with live progress; a failure is recorded on the run (credentials redacted) and
 * never thrown to the queue, so one account's trouble stays with that account.
 */
export class AccountSync {
  private readonly runners: Record<SyncStream, SyncStreamRunner> = {
    customers: new CustomersStream(),
    subscriptions: new SubscriptionsStream(),
    'unbilled-usage': new UnbilledUsageStream(),
    invoices: new InvoicesStream(),
    backfill: new BackfillStream(),
    prices: new PricesStream(),
    'legacy-utilization': new LegacyUtilizationStream(),
  };

  constructor(
    private readonly store: Store,
    private readonly clients: PartnerCenterClients,
    private readonly logger: SyncLogger,
    private readonly options: {
      usagePageSize?: number;
      billedUsageLookbackMonths?: number;
      now?: () => Date;
      metrics?: MeridianMetrics;
      /** The requests this process serves (the api, embedded mode): each run gives way to them after every page. */
      foreground?: ForegroundLoad;
    } = {},
  ) {}

  /** Every stream in dependency order (customers before subscriptions); stops at the first failure. */
  async run(accountId: string, options: RunOptions = {}): Promise<AccountSyncResult> {
    const total: AccountSyncResult = { status: 'succeeded', progress: { pages: 0, rows: 0, quarantined: 0 }, runIds: [] };
    for (const stream of SYNC_STREAMS) {
      const r = await this.runStream(accountId, stream, options);
      total.runIds.push(...r.runIds);
      total.progress.pages += r.progress.pages;
      total.progress.rows += r.progress.rows;
      total.progress.quarantined += r.progress.quarantined;
      if (r.status !== 'succeeded') return { ...total, status: r.status, error: r.error };
    }
    return total;
  }

  async runStream(accountId: string, stream: SyncStream, options: RunOptions = {}): Promise<AccountSyncResult> {
    const creds = await this.store.accounts.credentials(accountId);
    await this.store.syncRuns.failAbandonedFor(accountId, stream, 'the worker running it stopped; the next run resumed from its checkpoint');
    const run = await this.store.syncRuns.start(accountId, stream, options.range ? { from: options.range.from, to: options.range.to } : {});
    const started = performance.now();
    addLogContext({ syncRunId: run.id });
    const finished = (status: 'succeeded' | 'failed') =>
      this.options.metrics?.syncRunFinished({ accountId, stream, status, seconds: (performance.now() - started) / 1000, rows: progress.rows, quarantined: progress.quarantined });
    const progress: SyncProgress = { pages: 0, rows: 0, quarantined: 0 };
    const giveWay = this.options.foreground ? new GiveWayToRequests(this.options.foreground) : undefined;
    // Checked after each committed page: what is written stays, the checkpoint says where to go on.
    const stopIfAsked = () => {
      if (options.signal?.aborted) throw new SyncInterrupted(`${INTERRUPTED_ERROR_PREFIX} after ${progress.pages} pages (${progress.rows} rows); the next start resumes it`);
    };
    const exportProgress = new ExportProgressReporter(progress, async () => {
      await this.store.syncRuns.progress(run.id, progress);
      options.onProgress?.({ stream, runId: run.id, ...progress });
    });
    const ctx: StreamContext = {
      accountId,
      cloud: creds.cloud,
      currency: creds.currency,
      runId: run.id,
      usageApi: creds.usageApi,
      client: this.clients.forAccount(creds),
      store: this.store,
      progress,
      usagePageSize: this.options.usagePageSize ?? 2000,
      billedUsageLookbackMonths: this.options.billedUsageLookbackMonths ?? 1,
      range: options.range,
      now: this.options.now ?? (() => new Date()),
      unitsProgress: async (done, total) => {
        progress.unitsDone = done;
        progress.unitsTotal = total;
        await this.store.syncRuns.progress(run.id, progress);
        options.onProgress?.({ stream, runId: run.id, ...progress });
        stopIfAsked();
      },
      pageDone: async (rows) => {
        progress.pages += 1;
        progress.rows += rows;
        await this.store.syncRuns.progress(run.id, progress);
        options.onProgress?.({ stream, runId: run.id, ...progress });
        stopIfAsked();
        await giveWay?.afterPage();
      },
      quarantine: (invalid) => this.quarantine(accountId, run.id, stream, progress, invalid),
      usedReadPath: (path) => {
        progress.readPath = progress.readPath && progress.readPath !== path ? 'both' : path;
      },
      startExportProgress: () => exportProgress.begin(),
    };
    try {
      // Every page's rows reach the aggregates in the transaction that writes them (docs/decisions/0017).
      await this.runners[stream].run(ctx);
      await exportProgress.settled();
      await this.store.syncRuns.finish(run.id, { status: 'succeeded', ...progress });
      finished('succeeded');
      this.logger.log(`account ${accountId}: ${stream} succeeded (${progress.rows} rows, ${progress.pages} pages, ${progress.quarantined} quarantined)`);
      return { status: 'succeeded', progress, runIds: [run.id] };
    } catch (err) {
      if (err instanceof SyncInterrupted) {
        await exportProgress.settled();
        await this.store.syncRuns.finish(run.id, { status: 'failed', error: err.message, ...progress });
        this.logger.log(`account ${accountId}: ${stream} ${err.message}`);
        return { status: 'interrupted', progress, error: err.message, runIds: [run.id] };
      }
      // Never let a credential reach the run record or the log, whatever the error says.
      const message = redact(err instanceof Error ? err.message : String(err), [creds.secret]);
      await exportProgress.settled();
      await this.store.syncRuns.finish(run.id, { status: 'failed', error: message, ...progress });
      finished('failed');
      this.logger.error(`account ${accountId}: ${stream} failed: ${message}`);
      return { status: 'failed', progress, error: message, runIds: [run.id] };
    }
  }

  private async quarantine(accountId: string, runId: string, stream: string, progress: SyncProgress, invalid: InvalidRecord[]): Promise<void> {
    if (invalid.length === 0) return;
    const createdAt = new Date().toISOString();
    await this.store.catalog.quarantine(
      invalid.map((r) => ({ accountId, syncRunId: runId, stream, reason: r.reason, payload: safeJson(r.record), createdAt })),
    );
    progress.quarantined += invalid.length;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out;
}
