import { verifyWebhookSignature } from '@meridian/notify';
import { AccessScope } from '@meridian/store';
import { AlertEvaluator, retryCycleMs } from './alert-evaluator';
import { quiet, startAlertingHarness, testAlertingConfig } from './testing/harness';
import { startWebhookReceiver } from './testing/receivers';

/**
 * A receiver that is down through every retry of a notification must still get it once it is back:
 * the next evaluation after a full retry cycle sends it again (same Idempotency-Key), once.
 */
const SECRET = 'redelivery-signing-secret-0000';
const AT = new Date('2026-11-25T12:00:00Z');

describe('a notification no attempt delivered', () => {
  let h: Awaited<ReturnType<typeof startAlertingHarness>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let down = true;

  beforeAll(async () => {
    h = await startAlertingHarness('sqlite', { now: AT });
    hook = await startWebhookReceiver(() => (down ? 503 : 200));
    expect((await h.sync.runStream('usgov', 'unbilled-usage')).status).toBe('succeeded');
  });
  afterAll(async () => {
    await hook?.close();
    await h?.close();
  });

  it('is sent again by a later evaluation once the receiver is back, and only once', async () => {
    const config = testAlertingConfig(null, { attempts: 2, baseMs: 10, maxMs: 50 });
    const evaluator = new AlertEvaluator(h.store, config, { logger: quiet });
    const channel = await h.store.channels.create({ kind: 'webhook', name: 'Hook', url: hook.url, format: 'meridian', secret: SECRET }, { userId: null });
    const rule = await h.store.alertRules.create(
      {
        name: 'US Gov tiny budget',
        kind: 'budget',
        channelIds: [channel.id],
        budget: { scope: { kind: 'account', accountId: 'usgov' }, period: 'monthly', amount: '1', currency: 'USD', thresholds: [{ percent: 50, basis: 'actual' }] },
      },
      { userId: null },
    );

    const first = await evaluator.evaluate({ at: AT });
    expect(first).toMatchObject({ fired: 1, notifications: 0, errors: [] });
    expect(hook.requests).toHaveLength(2); // both attempts answered 503

    // Within one retry cycle of the last attempt the notification is left alone (another evaluator may own it).
    expect((await evaluator.evaluate({ at: AT })).notifications).toBe(0);
    expect(hook.requests).toHaveLength(2);

    down = false;
    await new Promise((r) => setTimeout(r, retryCycleMs(config.delivery) + 50));
    const later = await evaluator.evaluate({ at: AT });
    expect(later).toMatchObject({ fired: 0, notifications: 1 });
    expect(hook.requests).toHaveLength(3);
    const keys = new Set(hook.requests.map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect(verifyWebhookSignature(SECRET, hook.requests[2].headers, hook.requests[2].body, 3600)).toEqual({ ok: true });

    await new Promise((r) => setTimeout(r, retryCycleMs(config.delivery) + 50));
    expect((await evaluator.evaluate({ at: AT })).notifications).toBe(0);
    expect(hook.requests).toHaveLength(3);
    const [event] = (await h.store.alertEvents.list(AccessScope.all(), { ruleId: rule.id })).items;
    const attempts = await h.store.deliveries.listForEvent(event.id);
    expect(attempts.map((a) => a.ok)).toEqual([false, false, true]);
  });
});
