import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Store, StreamState } from '@meridian/store';
import { SyncQueue, SyncStream } from '../queue/sync-queue';
import { dueStreams } from './stream-schedule';
import { SYNC_QUEUE, WORKER_CONFIG } from './sync-queue.module';
import { WorkerConfig } from './worker.config';

const NEVER: StreamState = { lastStartedAt: null, lastStatus: null, lastSuccessAt: null, lastError: null };

/**
 * Enqueues every stream of every enabled account whose own schedule says it is due. Several
 * workers may run this at once: the queue's job ids (account × stream) make their enqueues collapse.
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

  /** Enqueues due streams; returns how many jobs were added. */
  async tick(now = new Date()): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    try {
      const accounts = await this.store.accounts.listEnabledIds();
      // Before the read: a run that starts while it is under way counts as after it.
      const stateAsOf = new Date().toISOString();
      const states = await this.store.syncRuns.streamStates(accounts.map((a) => a.id));
      let added = 0;
      for (const account of accounts) {
        const state = (s: SyncStream) => states.get(account.id)?.get(s) ?? NEVER;
        for (const stream of dueStreams(state, account.syncIntervalMinutes, this.config.schedule, now)) {
          const reason = state(stream).lastStartedAt ? 'schedule' : 'startup';
          if ((await this.queue.enqueue({ accountId: account.id, stream, reason, stateAsOf })).added) added += 1;
        }
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
