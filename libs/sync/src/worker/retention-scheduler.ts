import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AccessScope, Store } from '@meridian/store';
import { WORKER_CONFIG } from './sync-queue.module';
import { pruneBeforeMonth, WorkerConfig } from './worker.config';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * MERIDIAN_RAW_RETENTION_MONTHS set: once at start and then daily, every account's raw line items of
 * billing periods before the retention window are pruned, their aggregates kept (decision 0023).
 * Several workers may run it at once: the watermark only moves forward and deleting twice is harmless.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionScheduler.name);
  private running?: Promise<void>;

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.rawRetentionMonths) return;
    this.registry.addInterval(
      'raw-retention',
      setInterval(() => void this.prune(), DAY_MS),
    );
    void this.prune();
  }

  /** Prunes every account now; returns the rows removed. */
  async prune(): Promise<number> {
    const months = this.config.rawRetentionMonths;
    if (!months || this.running) return 0;
    let removed = 0;
    this.running = (async () => {
      const before = pruneBeforeMonth(this.config.now ? new Date(this.config.now) : new Date(), months);
      for (const account of await this.store.accounts.list(AccessScope.all())) {
        const r = await this.store.costs.pruneRawBefore(account.id, before);
        removed += r.rows;
        if (r.rows) this.logger.log(`retention: ${account.id}: ${r.rows} raw line items before ${r.prunedBefore} pruned (aggregates kept)`);
      }
    })()
      .catch((err) => this.logger.error(`retention failed: ${(err as Error).message}`))
      .finally(() => (this.running = undefined));
    await this.running;
    return removed;
  }
}
