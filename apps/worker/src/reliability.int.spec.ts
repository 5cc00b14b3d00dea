import { normalizeDecimal } from '@meridian/finops';
import { enqueueAccountSync, SYNC_QUEUE, SyncQueue } from '@meridian/sync';
import { groundTruth } from './testing/ground-truth';
import { allSucceeded, monthCells, startWorkerHarness, waitForStreams, WorkerHarness } from './testing/worker-harness';

const MONTHS = [
  { from: '2026-10-01', to: '2026-10-31' },
  { from: '2026-11-01', to: '2026-11-24' },
];

/**
 * Reliability under Partner Center faults, with the real worker (BullMQ on Redis): 10% of
 * requests fail in every documented way and 10% of line items are malformed, yet the totals per
 * account × month × service × region equal the simulator's ground truth exactly, every malformed
 * record is in quarantine, and a revoked secret stays that account's problem.
 */
describe.each(['sqlite', 'postgres'] as const)('sync under 10%% injected faults on %s', (kind) => {
  let h: WorkerHarness;

  beforeAll(async () => {
    h = await startWorkerHarness(kind, {
      seed: 11,
      // Small pages: several hundred requests, so 10% of them meet every kind of fault.
      env: { MERIDIAN_PC_USAGE_PAGE_SIZE: '250', MERIDIAN_SYNC_CONCURRENCY: '6' },
      beforeWorker: async (simUrl) => {
        const { items } = (await (await fetch(`${simUrl}/_sim/accounts`)).json()) as { items: { id: string }[] };
        for (const a of items) {
          const res = await fetch(`${simUrl}/_sim/faults/${a.id}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ rate: 0.1, retryAfterSeconds: 1, slowMs: 100, hangMs: 4000 }),
          });
          if (!res.ok) throw new Error(`faults for ${a.id}: ${await res.text()}`);
        }
      },
    });
  }, 60_000);

  afterAll(() => h?.close());

  it('ends with every stream of every account succeeded, exact to the cent per month × service × region', async () => {
    const ids = h.accounts.map((a) => a.id);
    expect(await waitForStreams(h.store, ids, (s) => s === 'succeeded' || s === 'failed', 150_000)).toEqual(allSucceeded(ids));
    const injected: Record<string, number> = {};
    for (const a of h.accounts) {
      const log = ((await (await fetch(`${h.sim.url}/_sim/faults/${a.id}/log`)).json()) as { injected: Record<string, number> }).injected;
      for (const [k, n] of Object.entries(log)) injected[k] = (injected[k] ?? 0) + n;
      for (const m of MONTHS) {
        const truth = await groundTruth(h.sim.url, a.id, m);
        const expected = Object.fromEntries(truth.rows.map((r) => [`${r.keys.service}|${r.keys.region}`, normalizeDecimal(r.amount)]));
        expect({ account: a.id, month: m.from, cells: await monthCells(h.store, a.id, m.from, m.to) }).toEqual({ account: a.id, month: m.from, cells: expected });
      }
    }
    // The faults were really met along the way (which request kinds hit depends on how the
    // accounts' requests interleave, so require most of them, and malformed records always).
    console.log(`faults injected on ${kind}: ${JSON.stringify(injected)}`);
    const requestKinds = ['429', '500', '503', 'slow', 'timeout', 'truncated', 'expiredToken'].filter((k) => (injected[k] ?? 0) > 0);
    expect(requestKinds.length).toBeGreaterThanOrEqual(6);
    expect(injected.malformed).toBeGreaterThan(100);
  }, 180_000);

  it('keeps every malformed record in quarantine with its reason', async () => {
    for (const a of h.accounts) {
      const truth = (await groundTruth(h.sim.url, a.id, { from: '2026-10-01', to: '2026-11-24' })) as Awaited<ReturnType<typeof groundTruth>> & { malformed: { lineItems: number } };
      const runs = await h.store.syncRuns.streamStates([a.id]);
      const usage = runs.get(a.id)!.get('unbilled-usage')!;
      const [run] = await h.store.dataSource.query(
        `SELECT id, quarantined FROM sync_run WHERE account_id = ${kind === 'postgres' ? '$1' : '?'} AND stream = 'unbilled-usage' AND status = 'succeeded' ORDER BY finished_at DESC LIMIT 1`,
        [a.id],
      );
      expect(usage.lastStatus).toBe('succeeded');
      expect({ account: a.id, quarantined: Number(run.quarantined) }).toEqual({ account: a.id, quarantined: truth.malformed.lineItems });
      const reasons: { reason: string }[] = await h.store.dataSource.query(
        `SELECT reason FROM quarantined_record WHERE sync_run_id = ${kind === 'postgres' ? '$1' : '?'}`,
        [run.id],
      );
      expect(reasons).toHaveLength(truth.malformed.lineItems);
      // v1 items fail the schema; a Graph export line may also be cut mid-JSON (named with its blob and line).
      for (const r of reasons) expect(r.reason).toMatch(a.cloud === 'global' ? /billingPreTaxTotal|usageDate|quantity|blob part-\S+ line \d+: not valid JSON/ : /billingPreTaxTotal|usageDate|quantity/);
    }
  });

  it('reports a revoked secret on that account while the others stay fresh', async () => {
    // Scenario (d) on its own: no other faults, one account's secret revoked.
    for (const a of h.accounts) await fetch(`${h.sim.url}/_sim/faults/${a.id}`, { method: 'DELETE' });
    await fetch(`${h.sim.url}/_sim/accounts/usgov/revoke-secret`, { method: 'POST' });
    const queue = h.app.get<SyncQueue>(SYNC_QUEUE);
    const before = new Date().toISOString();
    for (const a of h.accounts) await enqueueAccountSync(queue, a.id, 'manual');
    const deadline = Date.now() + 90_000;
    for (;;) {
      const states = await h.store.syncRuns.streamStates(h.accounts.map((a) => a.id));
      const usage = (id: string) => states.get(id)?.get('unbilled-usage');
      const others = h.accounts.filter((a) => a.id !== 'usgov');
      const usgov = states.get('usgov')?.get('customers');
      if ((usgov?.lastStatus === 'failed' && (usgov.lastStartedAt ?? '') > before && others.every((a) => (usage(a.id)?.lastSuccessAt ?? '') > before)) || Date.now() > deadline) {
        if (Date.now() > deadline) console.log('stream states at the deadline', JSON.stringify([...states].map(([id, m]) => [id, [...m]])));
        expect(usgov?.lastStatus).toBe('failed');
        expect(usgov?.lastError).toMatch(/invalid_client|401|refused|secret/i);
        for (const a of others) expect({ id: a.id, fresh: (usage(a.id)?.lastSuccessAt ?? '') > before }).toEqual({ id: a.id, fresh: true });
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 120_000);
});
