import { alertEventSchema, type AlertRule } from '@meridian/contracts';
import { addDays, normalizeDecimal, toDecimal } from '@meridian/finops';
import { verifyWebhookSignature } from '@meridian/notify';
import { AccessScope } from '@meridian/store';
import { AlertEvaluator } from './alert-evaluator';
import { startAlertingHarness, testAlertingConfig } from './testing/harness';
import { startMailbox, startWebhookReceiver } from './testing/receivers';

/**
 * Issue 9's acceptance run: the simulator's clock moves through November one day at a time; each
 * day the real sync reads the unbilled usage and the evaluator runs at the simulator's time. A
 * monthly budget with thresholds actual 50/80/100 and forecast 100 must notify each crossing
 * exactly once (forecast before actual), by e-mail to a real SMTP server and by signed webhooks,
 * one of which fails twice before accepting each notification.
 */
const ACCOUNT = 'usgov';
const SECRET = 'hook-signing-secret-0123456789';
const FLAKY_SECRET = 'flaky-signing-secret-0123456789';

describe('budget alerts through a simulated month (SQLite)', () => {
  let h: Awaited<ReturnType<typeof startAlertingHarness>>;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let flaky: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let evaluator: AlertEvaluator;
  let rule: AlertRule;
  let budgetAmount: string;
  let channelIds: { email: string; hook: string; flaky: string };
  /** Day (of November) each threshold fired, in order. */
  const fired: { thresholdId: string; day: string }[] = [];

  beforeAll(async () => {
    h = await startAlertingHarness('sqlite', { now: new Date('2026-11-01T06:00:00Z') });
    mailbox = await startMailbox();
    hook = await startWebhookReceiver();
    // Fails the first two attempts of every notification (by its Idempotency-Key), accepts the third.
    const seen = new Map<string, number>();
    flaky = await startWebhookReceiver((_, r) => {
      const key = String(r.headers['idempotency-key']);
      seen.set(key, (seen.get(key) ?? 0) + 1);
      return (seen.get(key) ?? 0) <= 2 ? 503 : 200;
    });
    evaluator = new AlertEvaluator(h.store, testAlertingConfig(mailbox.url));

    // The budget is 90 % of what November will cost (the simulator's ground truth), so actual 100 %
    // is crossed late in the month and the forecast sees it coming.
    await h.setClock(new Date('2026-12-01T06:00:00Z'));
    const truth = await h.simGet<{ total: string }>(`/_sim/ground-truth?account=${ACCOUNT}&from=2026-11-01&to=2026-11-30`);
    await h.setClock(new Date('2026-11-01T06:00:00Z'));
    budgetAmount = toDecimal(truth.total).times('0.9').toDecimalPlaces(2).toFixed(2);

    const actor = { userId: null };
    channelIds = {
      email: (await h.store.channels.create({ kind: 'email', name: 'FinOps mail', to: ['finops@example.test'] }, actor)).id,
      hook: (await h.store.channels.create({ kind: 'webhook', name: 'Ops hook', url: hook.url, format: 'meridian', secret: SECRET }, actor)).id,
      flaky: (await h.store.channels.create({ kind: 'webhook', name: 'Flaky Slack', url: flaky.url, format: 'slack', secret: FLAKY_SECRET }, actor)).id,
    };
    rule = await h.store.alertRules.create(
      {
        name: 'US Gov monthly budget',
        kind: 'budget',
        channelIds: [channelIds.email, channelIds.hook, channelIds.flaky],
        budget: {
          scope: { kind: 'account', accountId: ACCOUNT },
          period: 'monthly',
          amount: budgetAmount,
          currency: 'USD',
          thresholds: [
            { percent: 50, basis: 'actual' },
            { percent: 80, basis: 'actual' },
            { percent: 100, basis: 'actual' },
            { percent: 100, basis: 'forecast' },
          ],
        },
      },
      actor,
    );
  });

  afterAll(async () => {
    await mailbox?.close();
    await hook?.close();
    await flaky?.close();
    await h?.close();
  });

  it('fires each threshold exactly once, the forecast before the actual crossing', async () => {
    for (let day = '2026-11-01'; day <= '2026-11-30'; day = addDays(day, 1)) {
      const at = await h.setClock(new Date(`${day}T06:00:00Z`));
      const synced = await h.sync.runStream(ACCOUNT, 'unbilled-usage');
      expect(synced.status).toBe('succeeded');
      const result = await evaluator.evaluate({ at });
      expect(result.errors).toEqual([]);
      expect(result.resolved).toBe(0);
      const events = await h.store.alertEvents.list(AccessScope.all(), { ruleId: rule.id, limit: 500 });
      for (const e of events.items) if (!fired.some((f) => f.thresholdId === e.thresholdId)) fired.push({ thresholdId: e.thresholdId, day });
    }
    const dayOf = (id: string) => fired.find((f) => f.thresholdId === id)?.day;
    console.log(`budget USD ${budgetAmount}: fired ${fired.map((f) => `${f.thresholdId}@${f.day}`).join(', ')}`);
    expect(fired.map((f) => f.thresholdId).sort()).toEqual(['actual:100', 'actual:50', 'actual:80', 'forecast:100']);
    expect(dayOf('forecast:100')! < dayOf('actual:100')!).toBe(true);
    expect(dayOf('actual:50')! < dayOf('actual:80')!).toBe(true);

    const events = (await h.store.alertEvents.list(AccessScope.all(), { ruleId: rule.id })).items;
    expect(events).toHaveLength(4);
    for (const e of events) {
      expect(alertEventSchema.parse(e)).toEqual(e);
      expect(e).toMatchObject({ status: 'open', crossing: 1, periodKey: '2026-11', accountIds: [ACCOUNT] });
    }
    // The rule shows what the last evaluation saw.
    const shown = await h.store.alertRules.get(AccessScope.all(), rule.id);
    expect(shown?.status).toMatchObject({ currency: 'USD', periodKey: '2026-11' });
    expect(Number(shown?.status?.usedPercent)).toBeGreaterThanOrEqual(100);
  });

  it('e-mails say what crossed, how much, where, with a link', () => {
    expect(mailbox.received).toHaveLength(4);
    const events = new Map<string, string>();
    for (const mail of mailbox.received) {
      expect(mail.to).toEqual(['finops@example.test']);
      expect(mail.subject).toMatch(/^\[Meridian\] US Gov monthly budget — (Actual spend this month|Forecast for the month) reached (50|80|100) % of the budget \(USD [\d,]+\.\d\d\)$/);
      expect(mail.text).toMatch(/Amount: USD [\d,]+\.\d\d/);
      expect(mail.text).toContain(`Threshold: USD `);
      expect(mail.text).toMatch(/Where: account .+ \(usgov\)/);
      expect(mail.text).toContain('Period: 2026-11');
      const link = /Open in Meridian: (\S+)/.exec(mail.text)?.[1] ?? '';
      expect(link).toMatch(/^https:\/\/meridian\.example\.test\/app\/alerts\/[0-9a-f-]{36}$/);
      events.set(mail.subject, link);
    }
    expect(events.size).toBe(4);
    const forecast = mailbox.received.find((m) => m.subject.includes('Forecast'))!;
    expect(forecast.text).toMatch(new RegExp(`Threshold: USD ${Number(budgetAmount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`));
  });

  it('webhooks are signed (HMAC-SHA256) and each notification reaches each receiver once', async () => {
    expect(hook.requests).toHaveLength(4);
    for (const r of hook.requests) {
      expect(verifyWebhookSignature(SECRET, r.headers, r.body, 3600)).toEqual({ ok: true });
      expect(verifyWebhookSignature('some-other-secret-000000', r.headers, r.body, 3600)).toEqual({ ok: false, reason: 'bad-signature' });
      const payload = JSON.parse(r.body);
      expect(payload).toMatchObject({ version: 1, event: 'alert.fired', alert: { category: 'budget', ruleName: 'US Gov monthly budget', period: '2026-11' } });
    }
    expect(new Set(hook.requests.map((r) => r.headers['idempotency-key'])).size).toBe(4);

    // The flaky receiver: 3 attempts per notification, accepted once, each attempt recorded.
    expect(flaky.requests).toHaveLength(12);
    const accepted = new Map<string, number>();
    flaky.requests.forEach((r) => {
      expect(verifyWebhookSignature(FLAKY_SECRET, r.headers, r.body, 3600)).toEqual({ ok: true });
      expect(JSON.parse(r.body).text).toContain('US Gov monthly budget');
      const key = String(r.headers['idempotency-key']);
      accepted.set(key, (accepted.get(key) ?? 0) + 1);
    });
    expect([...accepted.values()]).toEqual([3, 3, 3, 3]);
    const attempts = await h.store.deliveries.listForChannel(channelIds.flaky);
    expect(attempts).toHaveLength(12);
    for (const key of accepted.keys()) {
      expect(attempts.filter((a) => a.dedupKey === key).map((a) => [a.attempt, a.ok, a.status]).reverse()).toEqual([
        [1, false, 503],
        [2, false, 503],
        [3, true, 200],
      ]);
    }
    const event = (await h.store.alertEvents.list(AccessScope.all(), { ruleId: rule.id })).items[0];
    const perEvent = await h.store.deliveries.listForEvent(event.id);
    expect(perEvent.filter((a) => a.channelId === channelIds.flaky)).toHaveLength(3);
    expect(perEvent.filter((a) => a.channelId === channelIds.email)).toEqual([expect.objectContaining({ attempt: 1, ok: true })]);
  });

  it('evaluating again the same day sends nothing', async () => {
    const before = [mailbox.received.length, hook.requests.length, flaky.requests.length];
    const result = await evaluator.evaluate({ at: new Date('2026-11-30T18:00:00Z') });
    expect(result).toMatchObject({ fired: 0, resolved: 0, notifications: 0, errors: [] });
    expect([mailbox.received.length, hook.requests.length, flaky.requests.length]).toEqual(before);
  });

  it('raising the budget resolves the crossed thresholds it no longer reaches, with one resolve notice each', async () => {
    const doubled = normalizeDecimal(toDecimal(budgetAmount).times(2));
    const { id: _id, kind: _kind, budget, createdBy: _c, createdAt: _ca, updatedAt: _u, lastEvaluatedAt: _l, status: _s, ...common } = rule;
    void [_id, _kind, _c, _ca, _u, _l, _s];
    await h.store.alertRules.update(AccessScope.all(), rule.id, { ...common, kind: 'budget', budget: { ...budget!, amount: doubled } });
    const mailsBefore = mailbox.received.length;
    const result = await evaluator.evaluate({ at: new Date('2026-11-30T18:00:00Z') });
    expect(result).toMatchObject({ fired: 0, errors: [] });

    const events = (await h.store.alertEvents.list(AccessScope.all(), { ruleId: rule.id })).items;
    const resolved = events.filter((e) => e.status === 'resolved').map((e) => e.thresholdId).sort();
    // About 97 % of the old budget was spent by the 29th: 48 % of the doubled one.
    expect(resolved).toEqual(['actual:100', 'actual:80', 'forecast:100']);
    expect(events.find((e) => e.thresholdId === 'actual:50')?.status).toBe('open');
    expect(result.resolved).toBe(3);

    const notices = mailbox.received.slice(mailsBefore);
    expect(notices).toHaveLength(3);
    for (const mail of notices) {
      expect(mail.subject).toMatch(/^\[Meridian\] Resolved: US Gov monthly budget — .* reached (80|100) % of the budget — cleared \(USD [\d,]+\.\d\d\)$/);
      expect(mail.text).toContain(`Threshold: USD `);
    }
    const resolveHooks = hook.requests.filter((r) => JSON.parse(r.body).event === 'alert.resolved');
    expect(resolveHooks).toHaveLength(3);
    for (const r of resolveHooks) expect(verifyWebhookSignature(SECRET, r.headers, r.body, 3600)).toEqual({ ok: true });
    expect(flaky.requests).toHaveLength(12 + 3 * 3);

    // Once resolved, the same evaluation again is silent.
    expect(await evaluator.evaluate({ at: new Date('2026-11-30T19:00:00Z') })).toMatchObject({ fired: 0, resolved: 0, notifications: 0 });
  });
});
