/**
 * Retry policy: exponential backoff with full jitter, honouring Retry-After.
 *
 * Retryable failures are PartnerCenterErrors with `retryable: true` (429, 500, 502, 503, 504,
 * network errors, timeouts, truncated/unparseable JSON). Everything else is rethrown at once.
 */
import { PartnerCenterError } from './errors';

export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 attempts). */
  maxRetries: number;
  /** Backoff base: attempt n waits a random time in [0, min(cap, base * 2^n)). */
  retryBaseMs: number;
  /** Upper bound of one backoff window (Retry-After may ask for longer and is honoured). */
  maxBackoffMs?: number;
  sleep: (ms: number) => Promise<void>;
  /** Uniform random in [0, 1); injectable for deterministic tests. */
  random: () => number;
}

export const DEFAULT_MAX_BACKOFF_MS = 60_000;

/** Full-jitter backoff for the given 0-based retry number. */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, 'retryBaseMs' | 'maxBackoffMs' | 'random'>): number {
  const cap = policy.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const window = Math.min(cap, policy.retryBaseMs * 2 ** retry);
  return Math.floor(policy.random() * window);
}

/**
 * Delay before retry number `retry`: the server's Retry-After when given (never less), otherwise
 * the jittered exponential backoff. When Retry-After is small and the server keeps throttling,
 * the growing backoff window takes over.
 */
export function retryDelay(retry: number, retryAfterMs: number | undefined, policy: Pick<RetryPolicy, 'retryBaseMs' | 'maxBackoffMs' | 'random'>): number {
  const backoff = backoffDelay(retry, policy);
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, backoff) : backoff;
}

/** Parses a Retry-After header (delta-seconds or HTTP-date) into milliseconds. */
export function parseRetryAfter(header: string | null | undefined, now: () => number = Date.now): number | undefined {
  if (header == null) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}

export interface RetryHooks {
  onRetry?: (error: PartnerCenterError, retry: number, delayMs: number) => void;
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or retries are exhausted. */
export async function withRetries<T>(attempt: (attemptNumber: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks = {}): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof PartnerCenterError)) throw err;
      err.attempts = n + 1;
      if (!err.retryable || n >= policy.maxRetries) throw err;
      const delay = retryDelay(n, err.retryAfterMs, policy);
      hooks.onRetry?.(err, n, delay);
      await policy.sleep(delay);
    }
  }
}
