import { channelTestResultSchema, type AlertRule } from '@meridian/contracts';
import { verifyWebhookSignature } from '@meridian/notify';
import { AccessScope, Store } from '@meridian/store';
import { AlertEvaluator } from './alert-evaluator';
import { startAlertingHarness, testAlertingConfig } from './testing/harness';
import { startMailbox, startWebhookReceiver } from './testing/receivers';

/**
 * Two workers evaluate at the same moment on one PostgreSQL database: the unique crossing key and
 * the conditional resolve let only one record each transition, and only that one notifies. Run
 * once without the advisory lock (the store alone must hold) and once with it.
 */
const SECRET = 'pg-hook-signing-secret-000000';
const AT = new Date('2026-11-25T12:00:00Z');

describe('two evaluators at once on PostgreSQL', () => {
  let h: Awaited<ReturnType<typeof startAlertingHarness>>;
  let second: Store;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let rule: AlertRule;
  let channels: string[];

  beforeAll(async () => {
    h = await startAlertingHarness('postgres', { now: AT });
    second = await h.openSecondStore();
    mailbox = await startMailbox();
    hook = await startWebhookReceiver();
    expect((await h.sync.runStream('usgov', 'unbilled-usage')).status).toBe('succeeded');
    channels = [
      (await h.store.channels.create({ kind: 'email', name: 'Mail', to: ['finops@example.test'] }, { userId: null })).id,
      (await h.store.channels.create({ kind: 'webhook', name: 'Hook', url: hook.url, format: 'teams', secret: SECRET }, { userId: null })).id,
    ];
    rule = await h.store.alertRules.create(
      {
        name: 'US Gov small budget',
        kind: 'budget',
        channelIds: channels,
        budget: {
          scope: { kind: 'account', accountId: 'usgov' },
          period: 'monthly',
          amount: '1000',
          currency: 'USD',
          thresholds: [
            { percent: 50, basis: 'actual' },
            { percent: 100, basis: 'actual' },
            { percent: 100, basis: 'forecast' },
          ],
        },
      },
      { userId: null },
    );
  });

  afterAll(async () => {
    await second?.close();
    await mailbox?.close();
    await hook?.close();
    await h?.close();
  });

  it('without the advisory lock: each crossing is recorded and notified once', async () => {
    const config = testAlertingConfig(mailbox.url);
    const [a, b] = await Promise.all([
      new AlertEvaluator(h.store, config, { crossProcessLock: false }).evaluate({ at: AT }),
      new AlertEvaluator(second, config, { crossProcessLock: false }).evaluate({ at: AT }),
    ]);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    expect(a.fired + b.fired).toBe(3);
    expect(a.notifications + b.notifications).toBe(6);
    expect((await h.store.alertEvents.list(AccessScope.all(), { ruleId: rule.id })).total).toBe(3);
    expect(mailbox.received).toHaveLength(3);
    expect(hook.requests).toHaveLength(3);
    for (const r of hook.requests) {
      expect(verifyWebhookSignature(SECRET, r.headers, r.body, 3600)).toEqual({ ok: true });
      expect(JSON.parse(r.body).attachments[0].content.type).toBe('AdaptiveCard');
    }
  });

  it('with the advisory lock: the resolves after raising the budget are sent once', async () => {
    const { budget } = rule;
    await h.store.alertRules.update(AccessScope.all(), rule.id, {
      name: rule.name,
      channelIds: channels,
      kind: 'budget',
      budget: { ...budget!, amount: '100000000' },
    });
    const config = testAlertingConfig(mailbox.url);
    const [a, b] = await Promise.all([new AlertEvaluator(h.store, config).evaluate({ at: AT }), new AlertEvaluator(second, config).evaluate({ at: AT })]);
    expect(a.resolved + b.resolved).toBe(3);
    expect(mailbox.received.filter((m) => m.subject.startsWith('[Meridian] Resolved:'))).toHaveLength(3);
    expect(hook.requests).toHaveLength(6);
    const okAttempts = await h.store.dataSource.query('SELECT channel_id, dedup_key, count(*) AS n FROM notification_delivery WHERE ok GROUP BY 1, 2');
    expect(okAttempts).toHaveLength(12);
    for (const row of okAttempts) expect(Number(row.n)).toBe(1);
  });

  it('a budget in a currency without rates is an evaluation error naming the pair and month, not a silent 1.0', async () => {
    const eur = await h.store.alertRules.create(
      {
        name: 'US Gov in EUR',
        kind: 'budget',
        budget: { scope: { kind: 'account', accountId: 'usgov' }, period: 'monthly', amount: '10', currency: 'EUR', thresholds: [{ percent: 100, basis: 'actual' }] },
      },
      { userId: null },
    );
    const result = await new AlertEvaluator(h.store, testAlertingConfig(null)).evaluate({ at: AT });
    expect(result.errors).toEqual([{ ruleId: eur.id, error: expect.stringMatching(/missing exchange rates: USD\/EUR for 2026-1[01]/) }]);
    expect(await h.store.alertRules.lastError(eur.id)).toContain('USD/EUR for 2026-11');
    expect((await h.store.alertEvents.list(AccessScope.all(), { ruleId: eur.id })).total).toBe(0);

    await h.store.fxRates.upsert(
      ['2026-09', '2026-10', '2026-11'].map((period) => ({ base: 'EUR', quote: 'USD', period, rate: '1.1', source: 'manual' })),
      '2026-11',
      { userId: null },
    );
    const converted = await new AlertEvaluator(h.store, testAlertingConfig(null)).evaluate({ at: AT });
    expect(converted.errors).toEqual([]);
    const [event] = (await h.store.alertEvents.list(AccessScope.all(), { ruleId: eur.id })).items;
    expect(event).toMatchObject({ thresholdId: 'actual:100', value: { currency: 'EUR' }, limit: { amount: '10', currency: 'EUR' } });
  });

  it('"send test" delivers a labelled sample on each channel and records the attempt', async () => {
    const evaluator = new AlertEvaluator(h.store, testAlertingConfig(mailbox.url));
    for (const id of channels) {
      const result = await evaluator.sendChannelTest(id);
      expect(channelTestResultSchema.parse(result)).toEqual(result);
      expect(result).toMatchObject({ delivered: true, attempts: [{ channelId: id, attempt: 1, ok: true }] });
    }
    expect(mailbox.received.at(-1)!.subject).toContain('Meridian test notification');
    expect(verifyWebhookSignature(SECRET, hook.requests.at(-1)!.headers, hook.requests.at(-1)!.body, 3600)).toEqual({ ok: true });
    const noSmtp = await new AlertEvaluator(h.store, testAlertingConfig(null)).sendChannelTest(channels[0]);
    expect(noSmtp).toMatchObject({ delivered: false, attempts: [{ ok: false, error: expect.stringContaining('MERIDIAN_SMTP_URL') }] });
    expect(await evaluator.sendChannelTest('no-such-channel')).toBeNull();
  });
});
