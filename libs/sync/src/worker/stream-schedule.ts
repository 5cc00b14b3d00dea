import { isInterruptedRun, SYNC_STREAMS, type ScheduledStream, type SyncJob, type SyncStream } from '../queue/sync-queue';

/** How one stream of one account last ran. */
export interface StreamRunState {
  lastStartedAt: string | null;
  lastStatus: string | null;
  lastSuccessAt: string | null;
  /** The last run's error: a run interrupted by a shutdown is resumed at once. */
  lastError?: string | null;
}

export interface StreamScheduleConfig {
  /** Minutes between runs of the customer and subscription streams. */
  catalogIntervalMinutes: number;
  /** After a failed run, retry after this many minutes (or the stream's interval, if shorter). */
  retryAfterFailureMinutes: number;
  /** Minutes between runs of the prices stream (the rate card changes rarely). */
  pricesIntervalMinutes: number;
}

export const DEFAULT_STREAM_SCHEDULE: StreamScheduleConfig = { catalogIntervalMinutes: 360, retryAfterFailureMinutes: 5, pricesIntervalMinutes: 1440 };

/** A stream's own interval: usage follows the account's setting, the catalogue changes slowly. */
export function streamIntervalMinutes(stream: SyncStream, accountIntervalMinutes: number, config: StreamScheduleConfig): number {
  // Invoices change at month close and with payments: the catalogue's pace is enough. Legacy
  // utilization is usage: the account's pace.
  if (stream === 'unbilled-usage' || stream === 'legacy-utilization') return accountIntervalMinutes;
  return stream === 'prices' ? config.pricesIntervalMinutes : config.catalogIntervalMinutes;
}

/**
 * When a stream should run next: now if it never ran, its interval after the last start, sooner
 * after a failure. `subscriptions` waits until `customers` has succeeded once (it reads them),
 * `legacy-utilization` until `subscriptions` and `prices` have.
 */
export function nextRunAt(
  stream: SyncStream,
  state: (s: SyncStream) => StreamRunState,
  accountIntervalMinutes: number,
  config: StreamScheduleConfig,
  now: Date,
): Date | null {
  if (stream === 'subscriptions' && !state('customers').lastSuccessAt) return null;
  if (stream === 'legacy-utilization' && !(state('subscriptions').lastSuccessAt && state('prices').lastSuccessAt)) return null;
  const own = state(stream);
  if (!own.lastStartedAt) return now;
  if (own.lastStatus === 'running' || own.lastStatus === 'queued') return null;
  let minutes = streamIntervalMinutes(stream, accountIntervalMinutes, config);
  if (own.lastStatus === 'failed') minutes = isInterruptedRun(own.lastError) ? 0 : Math.min(minutes, config.retryAfterFailureMinutes);
  return new Date(Date.parse(own.lastStartedAt) + minutes * 60_000);
}

/** The streams of an account that are due at `now`. */
export function dueStreams(
  state: (s: SyncStream) => StreamRunState,
  accountIntervalMinutes: number,
  config: StreamScheduleConfig,
  now: Date,
): ScheduledStream[] {
  return SYNC_STREAMS.filter((s) => {
    const at = nextRunAt(s, state, accountIntervalMinutes, config, now);
    return at !== null && at.getTime() <= now.getTime();
  });
}

/**
 * A scheduled job whose decision a later run of its stream has overtaken (see SyncJob.stateAsOf).
 * A run interrupted by a shutdown does not count: its job is kept to resume it.
 */
export function isStaleScheduledJob(job: Pick<SyncJob, 'stateAsOf'>, last: StreamRunState | undefined): boolean {
  if (job.stateAsOf === undefined || !last?.lastStartedAt) return false;
  if (last.lastStatus === 'failed' && isInterruptedRun(last.lastError)) return false;
  return Date.parse(last.lastStartedAt) > Date.parse(job.stateAsOf);
}
