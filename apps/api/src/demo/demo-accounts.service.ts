import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Store } from '@meridian/store';
import { connectSimulatorAccounts, enqueueAccountSync, SYNC_QUEUE, type SyncQueue } from '@meridian/sync';
import { API_CONFIG, ApiConfig } from '../api.config';

/** Demo mode: connects every simulated Partner Center account on start and queues a first sync. */
@Injectable()
export class DemoAccountsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoAccountsService.name);

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const simUrl = this.config.demoSimUrl;
    if (!simUrl) return;
    const accounts = await connectSimulatorAccounts(this.store, simUrl, {
      syncIntervalMinutes: this.config.demoSyncIntervalMinutes,
    });
    for (const a of accounts) await enqueueAccountSync(this.queue, a.id, 'startup');
    this.logger.log(`demo: connected ${accounts.length} simulated Partner Center accounts from ${simUrl}`);
  }
}
