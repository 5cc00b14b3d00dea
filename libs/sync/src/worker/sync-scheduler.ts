import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Store } from '@meridian/store';
import { SyncQueue } from '../queue/sync-queue';
import { SYNC_QUEUE, WORKER_CONFIG } from './sync-queue.module';
import { WorkerConfig } from './worker.config';

/**
 * Enqueues a sync for every enabled account whose own interval has passed since its last run.
 * Several workers may run this at once: the queue's job ids make their enqueues collapse.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(SyncScheduler.name);
  private ticking = false;

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addInterval('sync-scheduler', setInterval(() => void this.tick(), this.config.tickSeconds * 1000));
    void this.tick();
  }

  /** Enqueues due accounts; returns how many jobs were added. */
  async tick(now = new Date()): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    try {
      const accounts = await this.store.accounts.listEnabledIds();
      const status = await this.store.syncRuns.statusByAccount(accounts.map((a) => a.id));
      let added = 0;
      for (const account of accounts) {
        const latest = status.get(account.id)?.latest;
        const due = !latest?.startedAt || now.getTime() - Date.parse(latest.startedAt) >= account.syncIntervalMinutes * 60_000;
        if (!due) continue;
        const result = await this.queue.enqueue({ accountId: account.id, stream: 'all', reason: latest ? 'schedule' : 'startup' });
        if (result.added) added += 1;
      }
      return added;
    } catch (err) {
      this.logger.error(`scheduler tick failed: ${(err as Error).message}`);
      return 0;
    } finally {
      this.ticking = false;
    }
  }
}
