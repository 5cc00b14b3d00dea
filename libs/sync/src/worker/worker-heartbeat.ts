import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SyncQueue } from '../queue/sync-queue';
import { SYNC_QUEUE, WORKER_CONFIG } from './sync-queue.module';
import { WorkerConfig } from './worker.config';

/**
 * A worker's "I am alive" mark in its queue (Redis key with a TTL of three beats, or memory in the
 * embedded mode), renewed on a timer: a worker whose event loop is stuck, or that died, stops
 * renewing it, and the api's readiness check sees the newest mark grow old.
 */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHeartbeat.name);
  readonly workerId = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private timer?: NodeJS.Timeout;
  private failing = false;
  /** When this worker last wrote its mark (epoch ms). */
  lastWrittenAt?: number;

  constructor(
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.heartbeatSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async beat(): Promise<void> {
    try {
      const at = Date.now();
      await this.queue.heartbeat(this.workerId, this.config.heartbeatSeconds * 3000);
      this.lastWrittenAt = at;
      if (this.failing) this.logger.log('heartbeat written again');
      this.failing = false;
    } catch (err) {
      // Redis down: BullMQ reconnects by itself; say it once, not every beat.
      if (!this.failing) this.logger.warn(`heartbeat not written: ${(err as Error).message}`);
      this.failing = true;
    }
  }
}
