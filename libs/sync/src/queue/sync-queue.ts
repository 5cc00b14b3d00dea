/** The streams a job can sync. The skeleton syncs everything of an account in one job ('all'). */
export type SyncStream = 'all';

export interface SyncJob {
  accountId: string;
  stream: SyncStream;
  reason: 'startup' | 'schedule' | 'manual';
}

export type SyncJobHandler = (job: SyncJob) => Promise<void>;

/**
 * The job queue behind the worker: BullMQ on Redis in the scaled mode, in-process in the embedded
 * mode, with the same semantics: one job id per account × stream, so enqueueing a job that is
 * already waiting or running is a harmless no-op, and at most one job per account × stream runs.
 */
export interface SyncQueue {
  enqueue(job: SyncJob): Promise<{ jobId: string; added: boolean }>;
  /** Starts consuming with at most `concurrency` jobs at once (across accounts). */
  startWorker(handler: SyncJobHandler, concurrency: number): Promise<void>;
  /** Stops taking jobs, waits for running ones, releases connections. */
  close(): Promise<void>;
}

export function syncJobId(job: Pick<SyncJob, 'accountId' | 'stream'>): string {
  // BullMQ reserves ':' in custom ids.
  return `sync-${job.accountId}-${job.stream}`.replace(/:/g, '_');
}
