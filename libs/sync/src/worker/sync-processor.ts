import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Store } from '@meridian/store';
import { AccountSync } from '../account-sync';
import { PartnerCenterClients } from '../partner-center-clients';
import { InProcessSyncQueue } from '../queue/in-process-sync-queue';
import { SyncQueue, SyncStream } from '../queue/sync-queue';
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
  ) {
    this.accountSync = new AccountSync(store, new PartnerCenterClients(config.client), this.logger, {
      usagePageSize: config.usagePageSize,
      billedUsageLookbackMonths: config.billedUsageLookbackMonths,
      now: () => (config.now ? new Date(config.now) : new Date()),
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
    await this.queue.startWorker(async (job, signal) => {
      const result = await this.accountSync.runStream(job.accountId, job.stream, { range: job.range, signal });
      if (result.status === 'interrupted') return 'interrupted';
      if (result.status === 'succeeded' && COST_STREAMS.has(job.stream)) {
        for (const listener of this.costDataListeners) {
          try {
            listener({ accountId: job.accountId, stream: job.stream });
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
    }, this.config.concurrency);
  }
}
