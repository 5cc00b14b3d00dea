import { toDecimal } from '@meridian/finops';
import { AccessScope } from '@meridian/store';
import { AlertEvaluator } from './alert-evaluator';
import { startAlertingHarness, testAlertingConfig } from './testing/harness';
import { startMailbox } from './testing/receivers';

const HOUR = 3_600_000;

describe('sync-health alerts from real sync runs (SQLite)', () => {
  let h: Awaited<ReturnType<typeof startAlertingHarness>>;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let evaluator: AlertEvaluator;
  let ruleId: string;
  const secretOf = (id: string) => h.accounts.find((a) => a.id === id)!.secret;
  const openIds = async () =>
    (await h.store.alertEvents.list(AccessScope.all(), { ruleId, status: 'open' })).items.map((e) => e.thresholdId).sort();

  beforeAll(async () => {
    h = await startAlertingHarness('sqlite', { now: new Date('2026-11-25T12:00:00Z') });
    mailbox = await startMailbox();
    evaluator = new AlertEvaluator(h.store, testAlertingConfig(mailbox.url));
    const mail = await h.store.channels.create({ kind: 'email', name: 'Ops', to: ['ops@example.test'] }, { userId: null });
    ruleId = (await h.store.alertRules.create({ name: 'EU sync health', kind: 'sync-health', channelIds: [mail.id], syncHealth: { accountId: 'eu' } }, { userId: null })).id;
    expect((await h.sync.runStream('eu', 'unbilled-usage')).status).toBe('succeeded');
  });

  afterAll(async () => {
    await mailbox?.close();
    await h?.close();
  });

  it('is quiet while the account syncs fine', async () => {
    expect(await evaluator.evaluate({ at: new Date() })).toMatchObject({ fired: 0, errors: [] });
  });

  it('fires an authentication alert when the secret is revoked, without the secret anywhere', async () => {
    await h.simPost('/_sim/accounts/eu/revoke-secret');
    const failed = await h.sync.runStream('eu', 'unbilled-usage');
    expect(failed.status).toBe('failed');
    expect(await evaluator.evaluate({ at: new Date() })).toMatchObject({ fired: 1, notifications: 1, errors: [] });
    expect(await openIds()).toEqual(['eu:auth']);
    const [event] = (await h.store.alertEvents.list(AccessScope.accounts(['eu']), { ruleId })).items;
    expect(event).toMatchObject({ category: 'sync-health', value: null, limit: null, accountIds: ['eu'] });
    expect(event.detail.error).toMatch(/401|invalid_client/);
    const mail = mailbox.received.at(-1)!;
    expect(mail.subject).toBe('[Meridian] EU sync health — Partner Center refuses the account’s credentials (secret revoked or wrong)');
    expect(mail.text).toMatch(/Where: account .+ \(eu\)/);
    expect(mail.text).not.toContain('Amount:');
    expect(JSON.stringify(event) + mail.text).not.toContain(secretOf('eu'));
  });

  it('resolves it once a sync succeeds again', async () => {
    await h.simPost('/_sim/accounts/eu/restore-secret');
    expect((await h.sync.runStream('eu', 'unbilled-usage')).status).toBe('succeeded');
    expect(await evaluator.evaluate({ at: new Date() })).toMatchObject({ fired: 0, resolved: 1, notifications: 1 });
    expect(await openIds()).toEqual([]);
    expect(mailbox.received.at(-1)!.subject).toMatch(/^\[Meridian\] Resolved: EU sync health — Partner Center refuses .* — cleared$/);
  });

  it('fires on quarantined records and on stale data', async () => {
    await fetch(`${h.sim.url}/_sim/faults/eu`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rate: 0.02, kinds: ['malformed'] }) });
    const run = await h.sync.runStream('eu', 'unbilled-usage');
    expect(run.progress.quarantined).toBeGreaterThan(0);
    await evaluator.evaluate({ at: new Date() });
    expect(await openIds()).toEqual(['eu:quarantined']);
    expect(mailbox.received.at(-1)!.subject).toContain(`${run.progress.quarantined} malformed record(s) quarantined by the latest sync`);
    // 30 hours without another successful sync: stale (default 26 h).
    await evaluator.evaluate({ at: new Date(Date.now() + 30 * HOUR) });
    expect(await openIds()).toEqual(['eu:quarantined', 'eu:stale']);
  });
});

describe('sandbox-cap alerts (SQLite, sandbox profile)', () => {
  let h: Awaited<ReturnType<typeof startAlertingHarness>>;

  beforeAll(async () => {
    h = await startAlertingHarness('sqlite', { now: new Date('2026-11-25T12:00:00Z'), profile: 'sandbox' });
    await h.sync.runStream('global-sandbox', 'customers');
    await h.sync.runStream('global-sandbox', 'subscriptions');
    expect((await h.sync.runStream('global-sandbox', 'unbilled-usage')).status).toBe('succeeded');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('fires for each Integration Sandbox subscription nearing or at the $200/month cap, and only those', async () => {
    await h.store.alertRules.create({ name: 'Sandbox caps', kind: 'sandbox-cap', sandboxCap: { thresholds: [50, 80, 100] } }, { userId: null });
    const result = await new AlertEvaluator(h.store, testAlertingConfig(null)).evaluate({ at: new Date('2026-11-25T12:00:00Z') });
    expect(result.errors).toEqual([]);
    const { rows } = await h.store.costs.breakdown(AccessScope.all(), ['subscription'], { from: '2026-11-01', to: '2026-11-25', includeSandbox: true });
    const expected = rows.flatMap((r) =>
      [50, 80, 100]
        .filter((p) => toDecimal(r.amount).toDecimalPlaces(2).greaterThanOrEqualTo(toDecimal('200').times(p).div(100)))
        .map((p) => `${r.keys.subscription}:actual:${p}`),
    );
    const events = (await h.store.alertEvents.list(AccessScope.all(), { category: 'sandbox-cap', limit: 500 })).items;
    console.log(`sandbox subscriptions month to date: ${rows.map((r) => `${r.keys.subscription.slice(0, 8)} ${r.amount}`).join(', ')}; alerts ${events.length}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(events.map((e) => e.thresholdId).sort()).toEqual(expected.sort());
    const atCap = events.find((e) => e.thresholdId.endsWith(':actual:100'));
    expect(atCap?.condition).toMatch(/^Sandbox subscription .+ reached the USD 200 monthly cap \(usage stops accruing\)$/);
    for (const e of events) expect(e).toMatchObject({ accountIds: ['global-sandbox'], value: { currency: 'USD' }, limit: { currency: 'USD' } });
  });
});
