import { normalizeDecimal, toDecimal } from '@meridian/finops';
import { mailPart } from '@meridian/notify';
import { AccessScope, type Store } from '@meridian/store';
import { quiet, startAlertingHarness, testAlertingConfig } from './testing/harness';
import { startMailbox } from './testing/receivers';
import { ScheduledReportSender } from './scheduled-reports';

/**
 * Scheduled reports on the simulator's data, through a real SMTP server: one e-mail per period and
 * subscriber however often (and by however many workers) the sender runs; the table and the CSV
 * hold exactly the store's amounts for the period, only for the accounts the subscriber sees at
 * send time; a revoked grant means no e-mail.
 */
const AT = new Date('2026-11-25T07:00:00Z');

/** CSV text → rows of cells (the sender's CSV quotes only what needs it). */
function csvRows(csv: string): string[][] {
  return csv
    .trim()
    .split(/\r\n/)
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"')));
}

describe('scheduled reports', () => {
  let h: Awaited<ReturnType<typeof startAlertingHarness>>;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let second: Store;
  const users: Record<string, string> = {};
  const sender = (store: Store) => new ScheduledReportSender(store, testAlertingConfig(mailbox.url), { logger: quiet });
  const mailTo = (who: string) => mailbox.received.filter((m) => m.to.includes(`${who}@example.test`));

  beforeAll(async () => {
    h = await startAlertingHarness('sqlite', { now: AT });
    mailbox = await startMailbox();
    second = await h.openSecondStore();
    for (const account of ['usgov', 'eu']) expect((await h.sync.runStream(account, 'unbilled-usage')).status).toBe('succeeded');
    for (const name of ['alice', 'bob', 'carol']) users[name] = (await h.store.users.create({ email: `${name}@example.test`, displayName: name, passwordHash: null })).id;
    await h.store.users.replaceGrants(users.alice, [{ accountId: 'usgov', role: 'viewer' }, { accountId: 'eu', role: 'finance' }]);
    await h.store.users.replaceGrants(users.bob, [{ accountId: 'usgov', role: 'viewer' }]);
    await h.store.users.replaceGrants(users.carol, [{ accountId: 'usgov', role: 'viewer' }, { accountId: 'eu', role: 'viewer' }]);
  });
  afterAll(async () => {
    await second?.close();
    await mailbox?.close();
    await h?.close();
  });

  it('sends each subscriber one e-mail per period, with the store’s exact amounts as table and CSV', async () => {
    const usgovByService = await h.store.savedViews.create(users.alice, { name: 'US Gov by service', path: '/explorer', query: 'group=service&accounts=usgov&preset=mtd', shared: true }, ['usgov']);
    const everythingByAccount = await h.store.savedViews.create(users.alice, { name: 'My accounts', path: '/overview', query: '', shared: false }, ['eu', 'usgov']);
    await h.store.reportSubscriptions.upsert(users.bob, usgovByService.id, 'weekly');
    await h.store.reportSubscriptions.upsert(users.alice, everythingByAccount.id, 'daily');

    const run = await sender(h.store).sendDue({ at: AT });
    expect(run).toMatchObject({ subscriptions: 2, sent: 2, alreadySent: 0, failed: 0, skipped: [] });

    // Bob: last ISO week (Mon 2026-11-16 … Sun 11-22), US Gov by service, every digit of the raw line items.
    const [bobMail] = mailTo('bob');
    expect(mailTo('bob')).toHaveLength(1);
    expect(bobMail.subject).toMatch(/^\[Meridian\] Weekly report "US Gov by service" 2026-11-16 to 2026-11-22: USD \d+(\.\d+)?$/);
    const raw = await h.store.costs.breakdown(AccessScope.accounts(['usgov']), ['service'], { from: '2026-11-16', to: '2026-11-22', includeSandbox: false, readFrom: 'raw' });
    expect(raw.rows.length).toBeGreaterThan(2);
    const csv = csvRows(mailPart(bobMail.raw, 'text/csv'));
    expect(csv[0]).toEqual(['period_start', 'period_end', 'Service', 'currency', 'amount']);
    expect(csv.slice(1).map((r) => [r[2], r[3], r[4]]).sort()).toEqual(raw.rows.map((r) => [r.keys.service, r.currency, r.amount]).sort());
    expect(csv.slice(1).every((r) => r[0] === '2026-11-16' && r[1] === '2026-11-22')).toBe(true);
    for (const r of raw.rows) expect(bobMail.html).toContain(`<td align="right">${r.amount}</td>`);
    expect(bobMail.html).toContain(`<td>USD</td><td align="right">${raw.totals[0].amount}</td>`);
    expect(bobMail.text).toContain('https://meridian.example.test/app/explorer?group=service&accounts=usgov&from=2026-11-16&to=2026-11-22');
    expect(bobMail.raw).toMatch(/filename="?US-Gov-by-service-2026-W47\.csv/);

    // Alice: yesterday, by account, both of her accounts in their own currencies.
    const [aliceMail] = mailTo('alice');
    expect(aliceMail.subject).toMatch(/^\[Meridian\] Daily report "My accounts" 2026-11-24: /);
    const aliceCsv = csvRows(mailPart(aliceMail.raw, 'text/csv'));
    expect(aliceCsv[0]).toEqual(['period_start', 'period_end', 'Account', 'Account name', 'currency', 'amount']);
    expect(aliceCsv.slice(1).map((r) => r[2]).sort()).toEqual(['eu', 'usgov']);

    // The same period again (a restart, later the same day): nothing new.
    expect(await sender(h.store).sendDue({ at: new Date('2026-11-25T21:00:00Z') })).toMatchObject({ sent: 0, alreadySent: 2 });
    expect(mailbox.received).toHaveLength(2);
  });

  it('lets only one of two concurrent workers send a period', async () => {
    const nextDay = new Date('2026-11-26T00:20:00Z');
    const runs = await Promise.all([sender(h.store).sendDue({ at: nextDay }), sender(second).sendDue({ at: nextDay })]);
    // Alice's daily report for 11-25 is due (Bob's weekly one is not): one e-mail between the two workers.
    expect(runs.map((r) => r.sent).sort()).toEqual([0, 1]);
    expect(runs.map((r) => r.alreadySent).sort()).toEqual([1, 2]);
    expect(mailTo('alice')).toHaveLength(2);
    expect(mailTo('alice')[1].subject).toMatch(/Daily report "My accounts" 2026-11-25:/);
    expect(mailTo('bob')).toHaveLength(1);
  });

  it('reports only the accounts the subscriber sees at send time, and nothing after a revoked grant', async () => {
    const euView = await h.store.savedViews.create(users.alice, { name: 'EU by service and region', path: '/cost-by-service-region', query: 'accounts=eu', shared: true }, ['eu']);
    await h.store.reportSubscriptions.upsert(users.carol, euView.id, 'weekly');
    // Alice loses EU: her own "My accounts" view now shows US Gov only; Carol loses EU: the shared EU view is gone for her.
    await h.store.users.replaceGrants(users.alice, [{ accountId: 'usgov', role: 'viewer' }]);
    await h.store.users.replaceGrants(users.carol, [{ accountId: 'usgov', role: 'viewer' }]);
    // Subscribing again changes the frequency: the weekly report of the last week is now due.
    const mine = await h.store.reportSubscriptions.list({ userId: users.alice });
    await h.store.reportSubscriptions.upsert(users.alice, mine[0].viewId, 'weekly');

    const run = await sender(h.store).sendDue({ at: new Date('2026-11-27T06:00:00Z') });
    expect(run.skipped).toEqual([{ subscriptionId: (await h.store.reportSubscriptions.list({ userId: users.carol }))[0].id, reason: 'view no longer visible' }]);
    expect(mailTo('carol')).toHaveLength(0);
    const aliceMail = mailTo('alice')[2];
    expect(aliceMail.subject).toMatch(/Weekly report "My accounts" 2026-11-16 to 2026-11-22:/);
    expect(csvRows(mailPart(aliceMail.raw, 'text/csv')).slice(1).map((r) => r[2])).toEqual(['usgov']);
    expect(aliceMail.html).not.toMatch(/>eu</);

    // A view naming only accounts the subscriber no longer sees: no e-mail either.
    const aliceEu = await h.store.savedViews.create(users.alice, { name: 'EU only', path: '/explorer', query: 'group=service&accounts=eu', shared: false }, ['eu']);
    const sub = await h.store.reportSubscriptions.upsert(users.alice, aliceEu.id, 'weekly');
    const later = await sender(h.store).sendDue({ at: new Date('2026-11-27T07:00:00Z') });
    expect(later.skipped).toContainEqual({ subscriptionId: sub.record.id, reason: 'no account of the view in scope' });
    expect(mailTo('alice')).toHaveLength(3);

    // Disabled users get nothing.
    await h.store.users.update(users.bob, { disabled: true });
    const afterDisable = await sender(h.store).sendDue({ at: new Date('2026-11-30T07:00:00Z') });
    expect(afterDisable.skipped.map((s) => s.reason)).toContain('user disabled');
    expect(mailTo('bob')).toHaveLength(1);
  });

  it('sends a failed period again on the next run, still once', async () => {
    const broken = new ScheduledReportSender(h.store, testAlertingConfig('smtp://127.0.0.1:9', { attempts: 2, baseMs: 1, maxMs: 2 }), { logger: quiet });
    const usgovView = (await h.store.reportSubscriptions.list({ userId: users.bob }))[0].viewId;
    const { record } = await h.store.reportSubscriptions.upsert(users.alice, usgovView, 'daily');
    const day = new Date('2026-11-25T09:00:00Z');
    expect(await broken.sendDue({ at: day })).toMatchObject({ sent: 0, failed: 1 });
    expect(await h.store.reportSubscriptions.delivery(record.id, '2026-11-24')).toMatchObject({ status: 'failed', attempts: 1 });
    const before = mailTo('alice').length;
    expect(await sender(h.store).sendDue({ at: day })).toMatchObject({ sent: 1, failed: 0 });
    expect(await sender(h.store).sendDue({ at: day })).toMatchObject({ sent: 0 });
    expect(mailTo('alice')).toHaveLength(before + 1);
    expect(await h.store.reportSubscriptions.delivery(record.id, '2026-11-24')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(mailTo('alice')[before].subject).toMatch(/Daily report "US Gov by service" 2026-11-24:/);
  });

  it("adds the view's reporting currency, each month at its rate, and names a missing rate", async () => {
    const view = await h.store.savedViews.create(users.alice, { name: 'US Gov in EUR', path: '/explorer', query: 'group=service&accounts=usgov&currency=EUR', shared: true }, ['usgov']);
    await h.store.reportSubscriptions.upsert(users.carol, view.id, 'daily');
    await sender(h.store).sendDue({ at: new Date('2026-11-24T10:00:00Z') });
    const [missing] = mailTo('carol');
    expect(missing.text).toContain('In EUR: not converted (missing exchange rates: USD/EUR for 2026-11)');
    expect(mailPart(missing.raw, 'text/csv')).toContain('USD');

    await h.store.fxRates.upsert([{ base: 'EUR', quote: 'USD', period: '2026-11', rate: '1.25', source: 'manual' }], '2026-11', { userId: null });
    await sender(h.store).sendDue({ at: new Date('2026-11-23T10:00:00Z') });
    const converted = mailTo('carol')[1];
    const usd = await h.store.costs.breakdown(AccessScope.accounts(['usgov']), [], { from: '2026-11-22', to: '2026-11-22', includeSandbox: false, readFrom: 'raw' });
    // 1 USD = 1/1.25 = 0.8 EUR exactly: the EUR total is 0.8 × the USD total, to the last digit.
    expect(converted.text).toContain(`Total USD: ${usd.totals[0].amount}`);
    expect(converted.text).toMatch(/Rate USD→EUR 2026-11: 0\.8\b/);
    expect(converted.html).toContain('<h3>In EUR</h3>');
    expect(converted.text).toContain(`Total EUR: ${normalizeDecimal(toDecimal(usd.totals[0].amount).times('0.8'))}`);
  });
});
