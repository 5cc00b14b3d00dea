import { testMessage } from './notice';
import type { DeliveryResult, NotificationChannel, NotificationMessage } from './notice';

export interface DeliveryAttempt {
  attempt: number;
  ok: boolean;
  status?: number;
  error?: string;
  /** ISO time the attempt finished. */
  at: string;
  dedupKey: string;
  channel: NotificationChannel['kind'];
  /** Wait before the next attempt (absent after the last one). */
  nextDelayMs?: number;
}

export interface DeliverOptions {
  /** Total attempts including the first. */
  attempts: number;
  /** First backoff; doubles each retry. */
  baseMs: number;
  /** Upper bound of one wait (also caps Retry-After). Default 5 minutes. */
  maxMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  now?: () => Date;
  /** Called after every attempt, so the caller can record it (delivery log). */
  onAttempt?: (attempt: DeliveryAttempt) => void | Promise<void>;
  /** Dedup: return true when this dedupKey was already delivered on this channel; nothing is sent then. */
  alreadyDelivered?: (dedupKey: string) => boolean | Promise<boolean>;
}

export interface DeliveryOutcome {
  delivered: boolean;
  /** Attempts made (0 when skipped as a duplicate). */
  attempts: number;
  skippedAsDuplicate: boolean;
  last?: DeliveryResult;
}

/** Wait before retry n (1-based): half fixed, half random, of min(maxMs, baseMs × 2^(n−1)). */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one message with retries: exponential backoff with jitter, Retry-After honoured (capped),
 * no retry on permanent failures. Every attempt is reported through `onAttempt`. The message's
 * dedupKey travels with every attempt (payload + Idempotency-Key), so a receiver can drop repeats
 * of an attempt that did arrive but whose answer was lost.
 */
export function deliverWithRetry(channel: NotificationChannel, message: NotificationMessage, options: DeliverOptions): Promise<DeliveryOutcome> {
  return retryDelivery(channel.kind, message.dedupKey, () => channel.send(message), options);
}

/**
 * The retry loop itself, for any one delivery identified by its dedup key (an alert notification,
 * the weekly digest): `send` makes one attempt.
 */
export async function retryDelivery(
  kind: NotificationChannel['kind'],
  dedupKey: string,
  send: () => Promise<DeliveryResult>,
  options: DeliverOptions,
): Promise<DeliveryOutcome> {
  if (options.attempts < 1) throw new Error('attempts must be at least 1');
  if (await options.alreadyDelivered?.(dedupKey)) return { delivered: false, attempts: 0, skippedAsDuplicate: true };

  const maxMs = options.maxMs ?? 300_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  let last: DeliveryResult | undefined;

  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      last = await send();
    } catch (e) {
      last = { ok: false, error: (e as Error).message, retryable: true };
    }
    const more = !last.ok && last.retryable && attempt < options.attempts;
    const nextDelayMs = more
      ? Math.min(maxMs, Math.max(backoffDelay(attempt, options.baseMs, maxMs, random), last.retryAfterMs ?? 0))
      : undefined;
    await options.onAttempt?.({
      attempt,
      ok: last.ok,
      ...(last.status !== undefined ? { status: last.status } : {}),
      ...(last.error !== undefined ? { error: last.error } : {}),
      at: now().toISOString(),
      dedupKey,
      channel: kind,
      ...(nextDelayMs !== undefined ? { nextDelayMs } : {}),
    });
    if (last.ok) return { delivered: true, attempts: attempt, skippedAsDuplicate: false, last };
    if (nextDelayMs === undefined) return { delivered: false, attempts: attempt, skippedAsDuplicate: false, last };
    await sleep(nextDelayMs);
  }
  return { delivered: false, attempts: options.attempts, skippedAsDuplicate: false, last };
}

/** "Send test" for any channel, with the same retries and attempt reporting as a real delivery. */
export function sendTestNotification(
  channel: NotificationChannel,
  options: Omit<DeliverOptions, 'alreadyDelivered'> = { attempts: 1, baseMs: 0 },
): Promise<DeliveryOutcome> {
  return deliverWithRetry(channel, testMessage(), options);
}
