import { backoffDelay, DeliveryAttempt, deliverWithRetry } from './delivery';
import type { DeliveryResult, NotificationChannel } from './notice';
import { message } from './testing/fixtures';

function scripted(results: (DeliveryResult | Error)[]): NotificationChannel & { calls: number } {
  const ch = {
    kind: 'webhook' as const,
    calls: 0,
    async send() {
      const r = results[Math.min(ch.calls++, results.length - 1)];
      if (r instanceof Error) throw r;
      return r;
    },
    sendTest: async () => ({ ok: true, retryable: false }),
  };
  return ch;
}
const fail = (status = 500): DeliveryResult => ({ ok: false, status, error: `HTTP ${status}`, retryable: true });
const ok: DeliveryResult = { ok: true, status: 200, retryable: false };

describe('delivery retries with exponential backoff and jitter', () => {
  it.each([
    { retry: 1, random: 0, delay: 50 },
    { retry: 1, random: 0.999999, delay: 100 },
    { retry: 3, random: 0, delay: 200 },
    { retry: 3, random: 0.5, delay: 300 },
    { retry: 20, random: 0.5, delay: 750 }, // capped at maxMs 1000
  ])('retry $retry with random $random waits $delay ms', ({ retry, random, delay }) => {
    expect(backoffDelay(retry, 100, 1000, () => random)).toBe(delay);
  });

  it.each([
    { name: 'first try', script: [ok], delivered: true, attempts: 1, waits: [] },
    { name: 'two failures then ok', script: [fail(), fail(), ok], delivered: true, attempts: 3, waits: [100, 200] },
    {
      name: 'thrown error counts as a retryable failure',
      script: [new Error('ECONNRESET'), ok],
      delivered: true,
      attempts: 2,
      waits: [100],
    },
    { name: 'gives up after the last attempt', script: [fail()], delivered: false, attempts: 4, waits: [100, 200, 400] },
    {
      name: 'permanent failure stops at once',
      script: [{ ok: false, status: 400, retryable: false }],
      delivered: false,
      attempts: 1,
      waits: [],
    },
    {
      name: 'Retry-After wins over a shorter backoff',
      script: [{ ...fail(429), retryAfterMs: 700 }, ok],
      delivered: true,
      attempts: 2,
      waits: [700],
    },
    {
      name: 'Retry-After is capped at maxMs',
      script: [{ ...fail(429), retryAfterMs: 60_000 }, ok],
      delivered: true,
      attempts: 2,
      waits: [5000],
    },
  ])('$name', async ({ script, delivered, attempts, waits }) => {
    const channel = scripted(script);
    const seen: DeliveryAttempt[] = [];
    const slept: number[] = [];
    const outcome = await deliverWithRetry(channel, message(), {
      attempts: 4,
      baseMs: 100,
      maxMs: 5000,
      random: () => 0.999999, // upper end of the jitter: the full exponential step
      sleep: async (ms) => void slept.push(ms),
      now: () => new Date('2024-03-14T23:00:00Z'),
      onAttempt: (a) => void seen.push(a),
    });
    expect(outcome).toMatchObject({ delivered, attempts, skippedAsDuplicate: false });
    expect(slept).toEqual(waits);
    expect(seen.map((a) => a.attempt)).toEqual(Array.from({ length: attempts }, (_, i) => i + 1));
    expect(seen.every((a) => a.dedupKey === message().dedupKey && a.at === '2024-03-14T23:00:00.000Z')).toBe(true);
    expect(seen.map((a) => a.nextDelayMs).filter((d) => d !== undefined)).toEqual(waits);
  });

  it('skips a message whose dedup key was already delivered', async () => {
    const channel = scripted([ok]);
    const delivered = new Set([message().dedupKey]);
    const outcome = await deliverWithRetry(channel, message(), { attempts: 3, baseMs: 1, alreadyDelivered: (k) => delivered.has(k) });
    expect(outcome).toEqual({ delivered: false, attempts: 0, skippedAsDuplicate: true });
    expect(channel.calls).toBe(0);
  });

  it('waits really when no sleep is injected', async () => {
    const channel = scripted([fail(), ok]);
    const started = Date.now();
    await deliverWithRetry(channel, message(), { attempts: 2, baseMs: 40, random: () => 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
