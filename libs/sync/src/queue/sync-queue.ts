/**
 * The streams of one account, each with its own schedule, sync run records and checkpoint
 * (DESIGN §3). `subscriptions` reads the customers the `customers` stream stored;
 * `legacy-utilization` prices the legacy Azure subscriptions' quantities with the rate card the
 * `prices` stream stored.
 */
export const SYNC_STREAMS = ['customers', 'subscriptions', 'unbilled-usage', 'invoices', 'prices', 'legacy-utilization'] as const;
export type ScheduledStream = (typeof SYNC_STREAMS)[number];
/**
 * `backfill` runs only when asked (API, CLI): it reads the billed usage of the invoices of a range
 * of months — Partner Center serves unbilled usage for the current and previous period only.
 */
export type SyncStream = ScheduledStream | 'backfill';

/** Months (YYYY-MM, inclusive) a backfill covers. */
export interface MonthRange {
  from: string;
  to: string;
}

/** The stream whose success makes an account's cost data fresh. */
export const FRESHNESS_STREAM: SyncStream = 'unbilled-usage';

export interface SyncJob {
  accountId: string;
  stream: SyncStream;
  reason: 'startup' | 'schedule' | 'manual';
  /**
   * Set by the scheduler: when it read the stream states it found this stream due by (ISO). Several
   * workers' schedulers race: one's job can run and leave the queue before another's enqueue lands,
   * so a run of the stream that started after this time makes the job stale (isStaleScheduledJob).
   */
  stateAsOf?: string;
  /** Backfill only. */
  range?: MonthRange;
}

/** When the job entered the queue (epoch ms), for the queue-wait metric. */
export interface SyncJobMeta {
  enqueuedAt?: number;
}

/** Jobs in the queue now, across every worker sharing it. */
export interface SyncQueueCounts {
  waiting: number;
  active: number;
  delayed: number;
}

/** The error recorded on a run stopped by a shutdown: the scheduler runs such a stream again at once. */
export const INTERRUPTED_ERROR_PREFIX = 'interrupted by shutdown';

export function isInterruptedRun(error: string | null | undefined): boolean {
  return error?.startsWith(INTERRUPTED_ERROR_PREFIX) ?? false;
}

/**
 * Runs one job. `signal` aborts when the queue closes (shutdown): the handler stops after the page it
 * is writing and answers 'interrupted', and the queue keeps the job for the next start.
 */
export type SyncJobHandler = (job: SyncJob, signal: AbortSignal, meta?: SyncJobMeta) => Promise<void | 'interrupted'>;

/**
 * The job queue behind the worker: BullMQ on Redis in the scaled mode, in-process in the embedded
 * mode, with the same semantics: one job id per account × stream, so enqueueing a job that is
 * already waiting or running is a harmless no-op, and at most one job per account × stream runs.
 */
export interface SyncQueue {
  enqueue(job: SyncJob): Promise<{ jobId: string; added: boolean }>;
  /** Starts consuming with at most `concurrency` jobs at once (across accounts). */
  startWorker(handler: SyncJobHandler, concurrency: number): Promise<void>;
  /**
   * Stops taking jobs, asks running ones to stop after their current page and waits for them, keeps
   * the interrupted ones for the next start where the queue persists (BullMQ), releases connections.
   */
  close(): Promise<void>;
  /** Jobs waiting and running now (metrics). */
  counts(): Promise<SyncQueueCounts>;
  /** Throws when the queue's backing service (Redis) does not answer; in-process: always fine. */
  ping(): Promise<void>;
  /** A worker consuming this queue says it is alive; the mark expires after `ttlMs`. */
  heartbeat(workerId: string, ttlMs: number): Promise<void>;
  /** Newest heartbeat of any live worker of this queue (epoch ms), undefined when none. */
  latestHeartbeat(): Promise<number | undefined>;
}

export function syncJobId(job: Pick<SyncJob, 'accountId' | 'stream'>): string {
  // BullMQ reserves ':' in custom ids.
  return `sync-${job.accountId}-${job.stream}`.replace(/:/g, '_');
}

/**
 * Queues a full refresh of one account: customers (which chains subscriptions), usage and the
 * rate card (subscriptions and prices chain the legacy estimates).
 * Returns the job ids and whether each was new (false: already waiting or running).
 */
export async function enqueueAccountSync(
  queue: SyncQueue,
  accountId: string,
  reason: SyncJob['reason'],
): Promise<{ jobId: string; added: boolean }[]> {
  const streams: SyncStream[] = ['customers', 'unbilled-usage', 'prices'];
  return Promise.all(streams.map((stream) => queue.enqueue({ accountId, stream, reason })));
}
