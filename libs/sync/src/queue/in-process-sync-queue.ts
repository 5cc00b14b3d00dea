import { SyncJob, SyncJobHandler, SyncQueue, SyncQueueCounts, syncJobId } from './sync-queue';

/** Embedded-mode queue: same dedup and concurrency semantics as the BullMQ one, in memory. */
export class InProcessSyncQueue implements SyncQueue {
  private readonly waiting: { id: string; job: SyncJob; enqueuedAt: number }[] = [];
  private readonly beats = new Map<string, { at: number; expires: number }>();
  private readonly known = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private handler?: SyncJobHandler;
  private concurrency = 1;
  private closed = false;
  private readonly stopping = new AbortController();

  constructor(private readonly onError: (job: SyncJob, err: unknown) => void = () => undefined) {}

  async enqueue(job: SyncJob): Promise<{ jobId: string; added: boolean }> {
    const id = syncJobId(job);
    if (this.closed || this.known.has(id)) return { jobId: id, added: false };
    this.known.add(id);
    this.waiting.push({ id, job, enqueuedAt: Date.now() });
    this.pump();
    return { jobId: id, added: true };
  }

  async startWorker(handler: SyncJobHandler, concurrency: number): Promise<void> {
    this.handler = handler;
    this.concurrency = Math.max(1, concurrency);
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    // Nothing outlives this process in memory: an interrupted run is resumed by the next start's
    // scheduler, which runs a stream interrupted by a shutdown at once.
    this.stopping.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  async counts(): Promise<SyncQueueCounts> {
    return { waiting: this.waiting.length, active: this.running.size, delayed: 0 };
  }

  async ping(): Promise<void> {
    // Nothing outside this process to reach.
  }

  async heartbeat(workerId: string, ttlMs: number): Promise<void> {
    const at = Date.now();
    this.beats.set(workerId, { at, expires: at + ttlMs });
  }

  async latestHeartbeat(): Promise<number | undefined> {
    const now = Date.now();
    let latest: number | undefined;
    for (const beat of this.beats.values()) if (beat.expires > now && (latest === undefined || beat.at > latest)) latest = beat.at;
    return latest;
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler || this.closed) return;
    while (this.running.size < this.concurrency && this.waiting.length > 0) {
      const { id, job, enqueuedAt } = this.waiting.shift()!;
      const done = handler(job, this.stopping.signal, { enqueuedAt })
        .then(() => undefined)
        .catch((err) => this.onError(job, err))
        .finally(() => {
          this.running.delete(id);
          this.known.delete(id);
          this.pump();
        });
      this.running.set(id, done);
    }
  }
}
