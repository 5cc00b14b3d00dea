import { toDecimal } from '@meridian/finops';
import { verifyWebhookSignature } from '@meridian/notify';
import { AccessScope } from '@meridian/store';
import { AlertEvaluator } from './alert-evaluator';
import { quiet, startAlertingHarness, testAlertingConfig } from './testing/harness';
import { startMailbox, startWebhookReceiver } from './testing/receivers';
import { digestWeek } from './weekly-digest';

/**
 * The weekly cost digest, on the simulator's data: the channels that opted in get last week's
 * totals per currency (equal to the raw line items), top services and accounts — once per week,
 * however often it is sent; a channel that did not opt in gets nothing.
 */
const AT = new Date('2026-11-25T07:00:00Z');
const SECRET = 'digest-hook-signing-secret-00';

describe('weekly cost digest on simulator data', () => {
  let h: Awaited<ReturnType<typeof startAlertingHarness>>;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let silent: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    h = await startAlertingHarness('sqlite', { now: AT });
    mailbox = await startMailbox();
    hook = await startWebhookReceiver();
    silent = await startWebhookReceiver();
    for (const account of ['usgov', 'eu']) expect((await h.sync.runStream(account, 'unbilled-usage')).status).toBe('succeeded');
  });
  afterAll(async () => {
    await mailbox?.close();
    await hook?.close();
    await silent?.close();
    await h?.close();
  });

  it.each([
    ['a Monday', '2026-11-23T07:00:00Z', '2026-11-16'],
    ['a Sunday', '2026-11-29T23:00:00Z', '2026-11-16'],
    ['the next Monday', '2026-11-30T00:00:00Z', '2026-11-23'],
  ])('reports the last complete Monday–Sunday week when sent on %s', (_when, at, from) => {
    expect(digestWeek(new Date(at)).from).toBe(from);
  });

  it('reaches each opted-in channel once a week with totals equal to the line items', async () => {
    const actor = { userId: null };
    await h.store.channels.create({ kind: 'email', name: 'Finance mail', to: ['finance@example.test'], weeklyDigest: true }, actor);
    await h.store.channels.create({ kind: 'webhook', name: 'Digest hook', url: hook.url, format: 'meridian', secret: SECRET, weeklyDigest: true }, actor);
    await h.store.channels.create({ kind: 'webhook', name: 'Alerts only', url: silent.url, format: 'slack' }, actor);
    const evaluator = new AlertEvaluator(h.store, testAlertingConfig(mailbox.url), { logger: quiet });

    expect(await evaluator.sendWeeklyDigest({ at: AT })).toEqual({ week: '2026-11-16', channels: 2, delivered: 2 });
    expect(digestWeek(AT)).toEqual({ from: '2026-11-16', to: '2026-11-22', previousFrom: '2026-11-09', previousTo: '2026-11-15' });

    // Independent of the rollups: the week's raw line items per currency.
    const raw = await h.store.costs.breakdown(AccessScope.all(), [], { from: '2026-11-16', to: '2026-11-22', includeSandbox: false, readFrom: 'raw' });
    expect(raw.totals.length).toBeGreaterThan(0);
    expect(hook.requests).toHaveLength(1);
    const request = hook.requests[0];
    expect(verifyWebhookSignature(SECRET, request.headers, request.body, 3600)).toEqual({ ok: true });
    const body = JSON.parse(request.body) as { event: string; digest: { currencies: { currency: string; total: string; topServices: { amount: string }[] }[] } };
    expect(body.event).toBe('digest.weekly');
    expect(body.digest.currencies.map((c) => [c.currency, c.total])).toEqual(raw.totals.map((t) => [t.currency, t.amount]));
    for (const c of body.digest.currencies) {
      const amounts = c.topServices.map((s) => toDecimal(s.amount));
      expect(amounts.every((a, i) => i === 0 || a.lessThanOrEqualTo(amounts[i - 1]))).toBe(true);
    }

    expect(mailbox.received).toHaveLength(1);
    expect(mailbox.received[0].subject).toMatch(/^\[Meridian\] Weekly cost digest 2026-11-16 to 2026-11-22: /);
    expect(mailbox.received[0].text).toContain('https://meridian.example.test/app/explorer?from=2026-11-16&to=2026-11-22&group=service');
    expect(silent.requests).toHaveLength(0);

    // Sent again the same week (a second worker, a restart): nothing new.
    expect(await evaluator.sendWeeklyDigest({ at: new Date('2026-11-25T19:00:00Z') })).toMatchObject({ delivered: 0 });
    expect(hook.requests).toHaveLength(1);
    expect(mailbox.received).toHaveLength(1);
  });
});
