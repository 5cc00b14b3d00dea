import { DeliveryAttempt, deliverWithRetry, sendTestNotification } from './delivery';
import { message } from './testing/fixtures';
import { startHttpReceiver } from './testing/servers';
import { signWebhook, verifyWebhookSignature, WebhookChannel } from './webhook';

const SECRET = 'whsec_test_1234';
const noSleep = async () => undefined;

describe('webhook: signed delivery to a real HTTP receiver', () => {
  it('the receiver verifies the signature and sees the dedup key in header and payload', async () => {
    const verdicts: boolean[] = [];
    const receiver = await startHttpReceiver((req) => {
      const v = verifyWebhookSignature(SECRET, req.headers, req.body, 300);
      verdicts.push(v.ok);
      return { status: v.ok ? 204 : 401 };
    });
    try {
      const channel = new WebhookChannel({ url: receiver.url, format: 'meridian', secret: SECRET, baseUrl: 'https://meridian.test' });
      expect(await channel.send(message())).toEqual({ ok: true, status: 204, retryable: false });
      expect(verdicts).toEqual([true]);
      const [req] = receiver.requests;
      expect(req.headers['x-meridian-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(req.headers['idempotency-key']).toBe(message().dedupKey);
      expect(req.headers['content-type']).toBe('application/json');
      expect(JSON.parse(req.body)).toMatchObject({
        version: 1,
        event: 'alert.fired',
        dedupKey: message().dedupKey,
        link: 'https://meridian.test/alerts/42',
        alert: {
          valueText: 'EUR 2,420.50',
          scopeText: 'account Contoso EU (acc-eu) › customer Fabrikam (cust-7) › service Virtual Machines',
        },
      });
    } finally {
      await receiver.close();
    }
  });

  it('a receiver failing twice (500) then succeeding: delivered once, 3 attempts recorded', async () => {
    const receiver = await startHttpReceiver((_req, i) => ({ status: i < 2 ? 500 : 200 }));
    const attempts: DeliveryAttempt[] = [];
    const waits: number[] = [];
    try {
      const channel = new WebhookChannel({ url: receiver.url, format: 'meridian', secret: SECRET, baseUrl: 'https://meridian.test' });
      const outcome = await deliverWithRetry(channel, message(), {
        attempts: 5,
        baseMs: 100,
        sleep: async (ms) => void waits.push(ms),
        onAttempt: (a) => void attempts.push(a),
      });
      expect(outcome).toMatchObject({ delivered: true, attempts: 3 });
      expect(attempts.map((a) => [a.attempt, a.ok, a.status])).toEqual([
        [1, false, 500],
        [2, false, 500],
        [3, true, 200],
      ]);
      expect(attempts.every((a) => !Number.isNaN(Date.parse(a.at)))).toBe(true);
      expect(waits).toHaveLength(2);
      expect(receiver.requests.filter((_, i) => i >= 2)).toHaveLength(1);
      // Every attempt carries the same idempotency key, each with its own valid signature.
      expect(new Set(receiver.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set([message().dedupKey]));
      for (const r of receiver.requests) expect(verifyWebhookSignature(SECRET, r.headers, r.body, 300).ok).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it.each([
    { name: '400 is permanent', status: 400, attempts: 1 },
    { name: '404 is permanent', status: 404, attempts: 1 },
    { name: '429 is retried', status: 429, attempts: 3 },
    { name: '503 is retried', status: 503, attempts: 3 },
  ])('$name', async ({ status, attempts }) => {
    const receiver = await startHttpReceiver(() => ({
      status,
      headers: status === 429 ? { 'Retry-After': '1' } : ({} as Record<string, string>),
    }));
    const waits: number[] = [];
    try {
      const channel = new WebhookChannel({ url: receiver.url, format: 'meridian', baseUrl: 'https://meridian.test' });
      const outcome = await deliverWithRetry(channel, message(), { attempts: 3, baseMs: 10, sleep: async (ms) => void waits.push(ms) });
      expect(outcome).toMatchObject({ delivered: false, attempts });
      if (status === 429) expect(waits.every((w) => w >= 1000)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('an unreachable URL is a retryable failure, not an exception', async () => {
    const receiver = await startHttpReceiver(() => ({ status: 200 }));
    await receiver.close();
    const channel = new WebhookChannel({ url: receiver.url, format: 'meridian', baseUrl: 'https://meridian.test', timeoutMs: 2000 });
    const outcome = await deliverWithRetry(channel, message(), { attempts: 2, baseMs: 1, sleep: noSleep });
    expect(outcome).toMatchObject({ delivered: false, attempts: 2, last: { ok: false, retryable: true } });
  });

  it('"send test" posts a sample the receiver can verify', async () => {
    const receiver = await startHttpReceiver((req) => ({
      status: verifyWebhookSignature(SECRET, req.headers, req.body, 300).ok ? 200 : 401,
    }));
    try {
      const channel = new WebhookChannel({ url: receiver.url, format: 'slack', secret: SECRET, baseUrl: 'https://meridian.test' });
      expect(await sendTestNotification(channel)).toMatchObject({ delivered: true, attempts: 1 });
      expect(JSON.parse(receiver.requests[0].body).text).toContain('Meridian test notification');
    } finally {
      await receiver.close();
    }
  });
});

describe('webhook signature verification', () => {
  const now = Date.UTC(2024, 2, 14, 23, 0, 0);
  const ts = String(now / 1000);
  const body = JSON.stringify({ dedupKey: 'k', amount: '2420.50' });
  const headers = { 'X-Meridian-Timestamp': ts, 'X-Meridian-Signature': signWebhook(SECRET, ts, body) };

  it.each([
    { name: 'untouched', secret: SECRET, headers, body, ok: true, reason: undefined },
    { name: 'tampered body', secret: SECRET, headers, body: body.replace('2420.50', '24.50'), ok: false, reason: 'bad-signature' },
    { name: 'wrong secret', secret: 'other', headers, body, ok: false, reason: 'bad-signature' },
    {
      name: 'timestamp swapped',
      secret: SECRET,
      headers: { ...headers, 'X-Meridian-Timestamp': String(now / 1000 + 1) },
      body,
      ok: false,
      reason: 'bad-signature',
    },
    { name: 'missing signature', secret: SECRET, headers: { 'X-Meridian-Timestamp': ts }, body, ok: false, reason: 'missing-headers' },
    {
      name: 'lower-case header names (node)',
      secret: SECRET,
      headers: { 'x-meridian-timestamp': ts, 'x-meridian-signature': headers['X-Meridian-Signature'] },
      body,
      ok: true,
      reason: undefined,
    },
  ])('$name', ({ secret, headers: h, body: b, ok, reason }) => {
    expect(verifyWebhookSignature(secret, h, b, 300, now)).toEqual(ok ? { ok } : { ok, reason });
  });

  it.each([
    { skewSeconds: 299, ok: true },
    { skewSeconds: -299, ok: true },
    { skewSeconds: 301, ok: false },
    { skewSeconds: -3600, ok: false },
  ])('a timestamp $skewSeconds s off with 300 s tolerance → ok=$ok', ({ skewSeconds, ok }) => {
    expect(verifyWebhookSignature(SECRET, headers, body, 300, now + skewSeconds * 1000).ok).toBe(ok);
  });

  it('accepts a fetch Headers object', () => {
    expect(verifyWebhookSignature(SECRET, new Headers(headers), body, 300, now)).toEqual({ ok: true });
  });
});
