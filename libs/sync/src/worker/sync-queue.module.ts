import { BeforeApplicationShutdown, DynamicModule, Global, Inject, Injectable, Logger, Module, OnModuleInit, Optional } from '@nestjs/common';
import { MeridianMetrics } from '@meridian/observability';
import { Store } from '@meridian/store';
import { BullMqSyncQueue } from '../queue/bullmq-sync-queue';
import { InProcessSyncQueue } from '../queue/in-process-sync-queue';
import { FRESHNESS_STREAM, SyncQueue } from '../queue/sync-queue';
import { WorkerConfig, workerConfigFromEnv } from './worker.config';

export const SYNC_QUEUE = Symbol('SYNC_QUEUE');
export const WORKER_CONFIG = Symbol('WORKER_CONFIG');

@Injectable()
class SyncQueueLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(SYNC_QUEUE) private readonly queue: SyncQueue) {}

  /**
   * Before the HTTP server and the store close (Nest: beforeApplicationShutdown, then the server,
   * then onApplicationShutdown): running syncs stop after their current page while the store is
   * still open.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

/**
 * Points the scrape-time gauges at their sources: queue depth at the sync queue (shared by every
 * process on Redis), and the age of each enabled account's last successful usage sync at the store.
 */
@Injectable()
export class SyncMetricsSources implements OnModuleInit {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    @Optional() @Inject(MeridianMetrics) private readonly metrics?: MeridianMetrics,
  ) {}

  onModuleInit(): void {
    if (!this.metrics) return;
    this.metrics.readQueueFrom(() => this.queue.counts());
    this.metrics.readUsageFreshnessFrom(async () => {
      const ids = (await this.store.accounts.listEnabledIds()).map((a) => a.id);
      const states = await this.store.syncRuns.streamStates(ids);
      const out = new Map<string, number | null>();
      for (const id of ids) {
        const last = states.get(id)?.get(FRESHNESS_STREAM)?.lastSuccessAt;
        out.set(id, last ? Date.parse(last) : null);
      }
      return out;
    });
  }
}

/** The sync queue of this process: enqueue side for the api, both sides for the worker. */
@Global()
@Module({})
export class SyncQueueModule {
  static forRoot(config: WorkerConfig = workerConfigFromEnv()): DynamicModule {
    const logger = new Logger('SyncQueue');
    return {
      module: SyncQueueModule,
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        {
          provide: SYNC_QUEUE,
          useFactory: (): SyncQueue =>
            config.redisUrl
              ? new BullMqSyncQueue({ redisUrl: config.redisUrl, prefix: config.queuePrefix, lockDurationMs: config.jobLockSeconds * 1000 })
              : new InProcessSyncQueue((job, err) => logger.error(`job for account ${job.accountId} failed: ${String(err)}`)),
        },
        SyncQueueLifecycle,
        SyncMetricsSources,
      ],
      exports: [SYNC_QUEUE, WORKER_CONFIG],
    };
  }
}
