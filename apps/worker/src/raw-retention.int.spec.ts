import { randomBytes } from 'node:crypto';
import { startSimulator } from '@meridian/pc-sim';
import { AccessScope, createTestStore, SecretBox, Store, storageReport, storedTotals, TestStore } from '@meridian/store';
import { AccountSync, connectSimulatorAccounts, PartnerCenterClients } from '@meridian/sync';
import { SIM_NOW } from './testing/ground-truth';

const quiet = { log: () => undefined, error: () => undefined };
const MONTHS = ['2026-07', '2026-08', '2026-09'];

/** A seeded generator (mulberry32): the property runs are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Issue 17 (6), decision 0023: pruning raw line items keeps every total (the aggregates stay), and a
 * later sync of a pruned month neither adds it again nor loses it: its rows are skipped and counted.
 * Property-style: seeded random sequences of prunes (the watermark only moves forward), backfills of
 * random month ranges, unbilled syncs and aggregate rebuilds, with the totals from the aggregates
 * compared with those before any prune after every step.
 */
describe.each(['sqlite', 'postgres'] as const)('raw line item retention (%s)', (kind) => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let test: TestStore;
  let store: Store;
  let sync: AccountSync;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 5, now: SIM_NOW, graphDelaySeconds: 0 });
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(randomBytes(32)));
    await connectSimulatorAccounts(store, sim.url);
    sync = new AccountSync(store, new PartnerCenterClients(), quiet, { now: () => SIM_NOW });
  });

  afterAll(async () => {
    await store?.close();
    await test?.drop();
    await sim?.close();
  });

  const rawRowsOf = async (account: string, month: string) => {
    const p = kind === 'postgres' ? ['$1', '$2'] : ['?', '?'];
    const [{ n }] = await store.dataSource.query(
      `SELECT count(*) AS n FROM cost_line_item WHERE billing_account_id = ${p[0]} AND billing_period_start = ${p[1]}`,
      [account, `${month}-01`],
    );
    return Number(n);
  };

  /** Forgets which invoices' billed usage was read, so a backfill reads (re-delivers) them again. */
  const forgetBilledUsage = (account: string) =>
    store.dataSource.query(`UPDATE invoice SET billed_usage_synced_at = NULL WHERE account_id = ${kind === 'postgres' ? '$1' : '?'}`, [
      account,
    ]);

  it('keeps every total through prunes, re-syncs of pruned months and rebuilds, and counts what it skipped', async () => {
    for (const account of ['germany', 'china']) {
      expect((await sync.runStream(account, 'backfill', { range: { from: MONTHS[0], to: MONTHS[2] } })).status).toBe('succeeded');
      expect((await sync.runStream(account, 'unbilled-usage')).status).toBe('succeeded');
    }
    const before = await storedTotals(store);
    expect(Object.keys(before).filter((k) => k.startsWith('germany|')).length).toBe(5);
    expect(await storedTotals(store, { readFrom: 'raw' })).toEqual(before);
    const monthRows = Object.fromEntries(await Promise.all(MONTHS.map(async (m) => [m, await rawRowsOf('germany', m)] as const)));

    // Prune germany's July.
    const pruned = await store.costs.pruneRawBefore('germany', '2026-08');
    expect(pruned).toEqual({ prunedBefore: '2026-08', rows: monthRows['2026-07'] });
    expect(await rawRowsOf('germany', '2026-07')).toBe(0);
    expect(await rawRowsOf('germany', '2026-08')).toBe(monthRows['2026-08']);
    expect(await storedTotals(store)).toEqual(before);
    // The raw rows no longer answer for the pruned months: the aggregates do.
    const raw = await storedTotals(store, { readFrom: 'raw' });
    expect(raw['germany|2026-07|EUR']).toBeUndefined();
    expect(raw['germany|2026-08|EUR']).toBe(before['germany|2026-08|EUR']);
    const report = await storageReport(store.dataSource);
    expect(report.filter((r) => r.accountId === 'germany').map((r) => [r.month, r.pruned, r.rawRows > 0, r.aggregateRows > 0])).toEqual([
      ['2026-07', true, false, true],
      ['2026-08', false, true, true],
      ['2026-09', false, true, true],
      ['2026-10', false, true, true],
      ['2026-11', false, true, true],
    ]);
    expect(report.find((r) => r.accountId === 'germany' && r.month === '2026-08')!.rawBytes).toBeGreaterThan(0);

    // A backfill of the pruned months: delivered again, skipped and counted, the totals unchanged.
    await forgetBilledUsage('germany');
    expect((await sync.runStream('germany', 'backfill', { range: { from: '2026-07', to: '2026-08' } })).status).toBe('succeeded');
    expect(await storedTotals(store)).toEqual(before);
    expect(await rawRowsOf('germany', '2026-07')).toBe(0);
    expect(await store.costs.retention(['germany'])).toEqual([
      expect.objectContaining({
        accountId: 'germany',
        prunedBefore: '2026-08',
        rowsPruned: pruned.rows,
        rowsSkipped: monthRows['2026-07'],
      }),
    ]);
    // A rebuild keeps the pruned months' aggregates (it cannot recompute them), and refuses to redo one.
    await store.rollups.rebuild();
    expect(await storedTotals(store)).toEqual(before);
    await expect(store.rollups.refreshPeriod('germany', '2026-07-01')).rejects.toThrow(/pruned/);

    // Property: random forward prunes of either account, random re-syncs and rebuilds.
    const next = random(kind === 'sqlite' ? 17 : 29);
    const marks: Record<string, string> = { germany: '2026-08', china: '2026-07' };
    for (let step = 0; step < 3; step++) {
      const account = next() < 0.5 ? 'germany' : 'china';
      const op = Math.floor(next() * 4);
      if (op === 0) {
        const month = MONTHS[Math.floor(next() * MONTHS.length)];
        marks[account] = (await store.costs.pruneRawBefore(account, month)).prunedBefore;
        expect(marks[account] >= month).toBe(true);
      } else if (op === 1) {
        const from = Math.floor(next() * MONTHS.length);
        const to = from + Math.floor(next() * (MONTHS.length - from));
        await forgetBilledUsage(account);
        expect((await sync.runStream(account, 'backfill', { range: { from: MONTHS[from], to: MONTHS[to] } })).status).toBe('succeeded');
      } else if (op === 2) {
        expect((await sync.runStream(account, 'unbilled-usage')).status).toBe('succeeded');
      } else {
        await store.rollups.rebuild(account);
      }
      expect({ step, op, account, totals: await storedTotals(store) }).toEqual({ step, op, account, totals: before });
      // Months at or after the watermark keep raw rows that add up to the same totals.
      const rawNow = await storedTotals(store, { readFrom: 'raw' });
      for (const [k, amount] of Object.entries(rawNow)) {
        const [acc, month] = k.split('|');
        if (!marks[acc] || month >= marks[acc]) expect({ k, amount }).toEqual({ k, amount: before[k] });
      }
    }
    const status = await store.costs.retention();
    expect(status.map((r) => r.accountId).sort()).toEqual(
      Object.keys(marks)
        .filter((a) => status.some((r) => r.accountId === a))
        .sort(),
    );
    expect(
      (
        await store.costs.lineItems(
          AccessScope.accounts(['germany']),
          { from: '2026-07-01', to: '2026-07-31', includeSandbox: true },
          { limit: 10 },
        )
      ).length,
    ).toBe(0);
  }, 420_000);
});
