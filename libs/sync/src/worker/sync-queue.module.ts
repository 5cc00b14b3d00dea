import { BeforeApplicationShutdown, DynamicModule, Global, Inject, Injectable, Logger, Module } from '@nestjs/common';
import { BullMqSyncQueue } from '../queue/bullmq-sync-queue';
import { InProcessSyncQueue } from '../queue/in-process-sync-queue';
import { SyncQueue } from '../queue/sync-queue';
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
      ],
      exports: [SYNC_QUEUE, WORKER_CONFIG],
    };
  }
}
