import { DEFAULT_STREAM_SCHEDULE, StreamScheduleConfig } from './stream-schedule';

/** Worker settings, read from the environment in one place. */
export interface WorkerConfig {
  schedule: StreamScheduleConfig;
  /** BullMQ on Redis when set; the in-process queue otherwise. */
  redisUrl?: string;
  /** Redis key prefix of the BullMQ queues (lets several installations or test runs share a Redis). */
  queuePrefix?: string;
  /** Most sync jobs running at once in this process (across accounts). */
  concurrency: number;
  /** How often the scheduler looks for accounts that are due. */
  tickSeconds: number;
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return {
    schedule: {
      catalogIntervalMinutes: positiveInt(env.MERIDIAN_CATALOG_SYNC_MINUTES, DEFAULT_STREAM_SCHEDULE.catalogIntervalMinutes),
      retryAfterFailureMinutes: positiveInt(env.MERIDIAN_RETRY_FAILED_SYNC_MINUTES, DEFAULT_STREAM_SCHEDULE.retryAfterFailureMinutes),
    },
    redisUrl: env.REDIS_URL || undefined,
    queuePrefix: env.MERIDIAN_QUEUE_PREFIX || undefined,
    concurrency: positiveInt(env.MERIDIAN_SYNC_CONCURRENCY, 3),
    tickSeconds: positiveInt(env.MERIDIAN_SCHEDULER_TICK_SECONDS, 15),
  };
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
