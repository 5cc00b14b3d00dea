import { Queue, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { SyncJob, SyncJobHandler, SyncQueue, SyncQueueCounts, syncJobId } from './sync-queue';

export interface BullMqSyncQueueOptions {
  redisUrl: string;
  /** Queue name; tests use a unique one. */
  queueName?: string;
  /** Key prefix in Redis (BullMQ `prefix`). */
  prefix?: string;
  /**
   * How long a running job's lock lasts without renewal (default 60 s): a worker that dies (kill -9)
   * loses its jobs to another worker after about this long.
   */
  lockDurationMs?: number;
}

function connectionFromUrl(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers block on Redis; they must retry forever rather than give up after a restart.
    maxRetriesPerRequest: null,
  };
}

/**
 * Scaled-mode queue. The job id is the account × stream, and finished jobs are removed, so a
 * duplicate enqueue while a job waits or runs is ignored, and a new one is accepted afterwards.
 */
export class BullMqSyncQueue implements SyncQueue {
  private readonly queue: Queue<SyncJob>;
  private worker?: Worker<SyncJob>;
  private readonly stopping = new AbortController();

  constructor(private readonly options: BullMqSyncQueueOptions) {
    this.queue = new Queue<SyncJob>(this.name, { connection: connectionFromUrl(options.redisUrl), prefix: options.prefix });
  }

  private get name(): string {
    return this.options.queueName ?? 'meridian-sync';
  }

  async enqueue(job: SyncJob): Promise<{ jobId: string; added: boolean }> {
    const jobId = syncJobId(job);
    const existing = await this.queue.getJob(jobId);
    if (existing) return { jobId, added: false };
    await this.queue.add('sync', job, {
      jobId,
      removeOnComplete: true,
      removeOnFail: true,
      attempts: 1,
    });
    return { jobId, added: true };
  }

  async startWorker(handler: SyncJobHandler, concurrency: number): Promise<void> {
    this.worker = new Worker<SyncJob>(
      this.name,
      async (job, token) => {
        if ((await handler(job.data, this.stopping.signal, { enqueuedAt: job.timestamp })) === 'interrupted') {
          // Back to the waiting list under its id: another worker, or this one's next start, resumes it.
          await job.moveToWait(token);
          throw new WaitingError();
        }
      },
      {
      connection: connectionFromUrl(this.options.redisUrl),
      prefix: this.options.prefix,
      concurrency: Math.max(1, concurrency),
      // A sync can run for minutes; the lock is renewed while it runs, and a crashed worker's job
      // is picked up again after the lock expires (checked every half lock).
      lockDuration: this.options.lockDurationMs ?? 60_000,
      stalledInterval: Math.min(30_000, Math.ceil((this.options.lockDurationMs ?? 60_000) / 2)),
      },
    );
    this.worker.on('error', () => undefined);
    await this.worker.waitUntilReady();
  }

  /** Graceful shutdown: running jobs stop after their current page and go back to the queue; then the connections close. */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.worker?.close();
    await this.queue.close();
  }

  async counts(): Promise<SyncQueueCounts> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0 };
  }

  async ping(): Promise<void> {
    await (await this.redis()).ping();
  }

  /** The queue's own ioredis connection (BullMQ types it loosely). */
  private async redis(): Promise<Redis> {
    return (await this.queue.client) as unknown as Redis;
  }

  /** Heartbeats are keys under the queue's own prefix, one per worker, each expiring by itself. */
  private heartbeatKey(workerId: string): string {
    return `${this.options.prefix ?? 'bull'}:${this.name}:heartbeat:${workerId}`;
  }

  async heartbeat(workerId: string, ttlMs: number): Promise<void> {
    await (await this.redis()).set(this.heartbeatKey(workerId), String(Date.now()), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async latestHeartbeat(): Promise<number | undefined> {
    const client = await this.redis();
    let latest: number | undefined;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', this.heartbeatKey('*'), 'COUNT', 100);
      cursor = next;
      if (keys.length === 0) continue;
      for (const value of await client.mget(...keys)) {
        const at = Number(value);
        if (value !== null && Number.isFinite(at) && (latest === undefined || at > latest)) latest = at;
      }
    } while (cursor !== '0');
    return latest;
  }

  /** For tests and tooling: removes everything this queue keeps in Redis. */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }
}
