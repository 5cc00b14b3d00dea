import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { MeridianMetrics } from '@meridian/observability';
import { Store } from '@meridian/store';
import { FRESHNESS_STREAM, SyncQueue } from '../queue/sync-queue';
import { SYNC_QUEUE } from './sync-queue.module';

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
