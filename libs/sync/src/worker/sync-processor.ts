import { Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { LogEvent } from '@meridian/partner-center';
import { MeridianMetrics, withLogContext, withoutLogContext } from '@meridian/observability';
import { Store } from '@meridian/store';
import { AccountSync } from '../account-sync';
import { ForegroundLoad } from './foreground-load';
import { PartnerCenterClients } from '../partner-center-clients';
import { InProcessSyncQueue } from '../queue/in-process-sync-queue';
import { SyncJob, SyncQueue, SyncStream } from '../queue/sync-queue';
import { isStaleScheduledJob } from './stream-schedule';
import { SYNC_QUEUE, WORKER_CONFIG } from './sync-queue.module';
import { WorkerConfig } from './worker.config';

/** Streams whose success means new cost data. */
const COST_STREAMS: ReadonlySet<SyncStream> = new Set<SyncStream>(['unbilled-usage', 'invoices', 'backfill']);

/** Consumes sync jobs: each job syncs one account with that account's own client. */
@Injectable()
export class SyncProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(SyncProcessor.name);
  readonly accountSync: AccountSync;
  private readonly costDataListeners: ((event: { accountId: string; stream: SyncStream }) => void)[] = [];

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Optional() @Inject(MeridianMetrics) private readonly metrics?: MeridianMetrics,
    @Optional() @Inject(ForegroundLoad) foreground?: ForegroundLoad,
  ) {
    const clientLogger = new Logger('PartnerCenter');
    const clients = new PartnerCenterClients(config.client, {
      onRequest: metrics ? (accountId, request) => metrics.partnerCenterRequest(accountId, request) : undefined,
      log: (event) => logClientEvent(clientLogger, event),
    });
    this.accountSync = new AccountSync(store, clients, this.logger, {
      usagePageSize: config.usagePageSize,
      billedUsageLookbackMonths: config.billedUsageLookbackMonths,
      now: () => (config.now ? new Date(config.now) : new Date()),
      metrics,
      foreground,
    });
  }

  /**
   * Called after every successful run of a stream that writes costs (unbilled usage, invoices,
   * backfill): alert evaluation hooks in here. Listeners must not throw or block the queue.
   */
  onCostDataSynced(listener: (event: { accountId: string; stream: SyncStream }) => void): void {
    this.costDataListeners.push(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.queue instanceof InProcessSyncQueue) {
      // In-process, nobody else can be running a sync: a 'running' row is a leftover of a crash.
      await this.store.syncRuns.failAbandoned('worker stopped while the sync was running');
    }
    await this.queue.startWorker(async (job, signal, meta) => {
      if (meta?.enqueuedAt !== undefined) this.metrics?.jobStarted(job.stream, Date.now() - meta.enqueuedAt);
      // Every log line of this job (sync, client retries) carries the account, stream and run ids.
      return withLogContext({ accountId: job.accountId, stream: job.stream }, () => this.runJob(job, signal));
    }, this.config.concurrency);
  }

  private async runJob(job: SyncJob, signal: AbortSignal): Promise<void | 'interrupted'> {
    if (job.stateAsOf !== undefined) {
      const last = (await this.store.syncRuns.streamStates([job.accountId])).get(job.accountId)?.get(job.stream);
      if (isStaleScheduledJob(job, last)) {
        this.logger.debug(`skipped: the stream ran at ${last?.lastStartedAt}, after the schedule found it due (${job.stateAsOf})`);
        return;
      }
    }
    const result = await this.accountSync.runStream(job.accountId, job.stream, { range: job.range, signal });
    if (result.status === 'interrupted') return 'interrupted';
    if (result.status === 'succeeded' && COST_STREAMS.has(job.stream)) {
      for (const listener of this.costDataListeners) {
        try {
          // Outside this job's log context: what a listener starts (an alert evaluation) is not this sync's.
          withoutLogContext(() => listener({ accountId: job.accountId, stream: job.stream }));
        } catch (err) {
          this.logger.error(`after-sync listener failed: ${(err as Error).message}`);
        }
      }
    }
    // Subscriptions read the stored customers: refresh them right after a customer sync.
    if (job.stream === 'customers' && result.status === 'succeeded') {
      await this.queue.enqueue({ accountId: job.accountId, stream: 'subscriptions', reason: job.reason });
    }
    // Legacy estimates need both the subscriptions and the rate card: price again when either changed.
    if ((job.stream === 'subscriptions' || job.stream === 'prices') && result.status === 'succeeded') {
      const states = (await this.store.syncRuns.streamStates([job.accountId])).get(job.accountId);
      if (states?.get('subscriptions')?.lastSuccessAt && states?.get('prices')?.lastSuccessAt) {
        await this.queue.enqueue({ accountId: job.accountId, stream: 'legacy-utilization', reason: job.reason });
      }
    }
  }
}

/** A Partner Center client's log event through the process's logger (pino: its fields stay fields). */
function logClientEvent(logger: Logger, { level, msg, ...fields }: LogEvent): void {
  const line = { msg, ...fields };
  if (level === 'error') logger.error(line);
  else if (level === 'warn') logger.warn(line);
  else if (level === 'info') logger.log(line);
  else logger.debug(line);
}
