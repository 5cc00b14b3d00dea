import { DEFAULT_STREAM_SCHEDULE, StreamScheduleConfig } from './stream-schedule';

/** Worker settings, read from the environment in one place. */
export interface WorkerConfig {
  schedule: StreamScheduleConfig;
  /** BullMQ on Redis when set; the in-process queue otherwise. */
  redisUrl?: string;
  /** Redis key prefix of the BullMQ queues (lets several installations or test runs share a Redis). */
  queuePrefix?: string;
  /** BullMQ job lock: a dead worker's job moves to another worker after about this long. */
  jobLockSeconds: number;
  /** Most sync jobs running at once in this process (across accounts). */
  concurrency: number;
  /** How often the scheduler looks for accounts that are due. */
  tickSeconds: number;
  /** Partner Center client settings (per request timeout, retries, backoff base). */
  client: { timeoutMs: number; maxRetries: number; retryBaseMs: number; graph: { pollIntervalMs?: number; maxPollMs?: number } };
  /** Daily rated usage items per page (Partner Center allows up to 2000). */
  usagePageSize: number;
  /** Scheduled invoices stream: billed usage of this many most recent invoiced months (older: backfill). */
  billedUsageLookbackMonths: number;
  /** How often a worker marks itself alive (the api's /api/health/ready reads the newest mark). */
  heartbeatSeconds: number;
  /**
   * MERIDIAN_RAW_RETENTION_MONTHS: raw line items of billing periods more than this many months
   * before the current one are pruned daily, aggregates kept (docs/decisions/0023). Unset: kept for ever.
   */
  rawRetentionMonths?: number;
  /** MERIDIAN_NOW: pins the clock legacy utilization reads months by (an ISO instant); real time otherwise. */
  now?: string;
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return {
    schedule: {
      catalogIntervalMinutes: positiveInt(env.MERIDIAN_CATALOG_SYNC_MINUTES, DEFAULT_STREAM_SCHEDULE.catalogIntervalMinutes),
      retryAfterFailureMinutes: positiveInt(env.MERIDIAN_RETRY_FAILED_SYNC_MINUTES, DEFAULT_STREAM_SCHEDULE.retryAfterFailureMinutes),
      pricesIntervalMinutes: positiveInt(env.MERIDIAN_PRICES_SYNC_MINUTES, DEFAULT_STREAM_SCHEDULE.pricesIntervalMinutes),
    },
    now: env.MERIDIAN_NOW || undefined,
    ...(env.MERIDIAN_RAW_RETENTION_MONTHS ? { rawRetentionMonths: retentionMonths(env.MERIDIAN_RAW_RETENTION_MONTHS) } : {}),
    redisUrl: env.REDIS_URL || undefined,
    queuePrefix: env.MERIDIAN_QUEUE_PREFIX || undefined,
    jobLockSeconds: positiveInt(env.MERIDIAN_JOB_LOCK_SECONDS, 60),
    concurrency: positiveInt(env.MERIDIAN_SYNC_CONCURRENCY, 3),
    tickSeconds: positiveInt(env.MERIDIAN_SCHEDULER_TICK_SECONDS, 15),
    heartbeatSeconds: positiveInt(env.MERIDIAN_WORKER_HEARTBEAT_SECONDS, 10),
    client: {
      timeoutMs: positiveInt(env.MERIDIAN_PC_TIMEOUT_MS, 30_000),
      maxRetries: positiveInt(env.MERIDIAN_PC_MAX_RETRIES, 5),
      retryBaseMs: positiveInt(env.MERIDIAN_PC_RETRY_BASE_MS, 500),
      // Graph billing export: poll interval when Graph sends no Retry-After, and how long to wait for
      // one export before starting another (Microsoft observes 1–25 min).
      graph: {
        ...(env.MERIDIAN_GRAPH_POLL_MS ? { pollIntervalMs: positiveInt(env.MERIDIAN_GRAPH_POLL_MS, 10_000) } : {}),
        ...(env.MERIDIAN_GRAPH_MAX_WAIT_SECONDS ? { maxPollMs: positiveInt(env.MERIDIAN_GRAPH_MAX_WAIT_SECONDS, 1800) * 1000 } : {}),
      },
    },
    usagePageSize: Math.min(2000, positiveInt(env.MERIDIAN_PC_USAGE_PAGE_SIZE, 2000)),
    billedUsageLookbackMonths: positiveInt(env.MERIDIAN_BILLED_USAGE_LOOKBACK_MONTHS, 1),
  };
}

/** The unbilled reads cover the previous and the current period: pruning those would only skip rows. */
export const MIN_RAW_RETENTION_MONTHS = 2;

export function retentionMonths(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_RAW_RETENTION_MONTHS) throw new Error(`MERIDIAN_RAW_RETENTION_MONTHS must be a whole number of months ≥ ${MIN_RAW_RETENTION_MONTHS}, got "${value}"`);
  return n;
}

/** The month (YYYY-MM) before which raw rows go under a retention of `months`: the current month minus `months`. */
export function pruneBeforeMonth(now: Date, months: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  return d.toISOString().slice(0, 7);
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
