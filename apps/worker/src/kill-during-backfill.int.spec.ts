import type { ChildProcess } from 'node:child_process';
import { AccessScope } from '@meridian/store';
import { expectedServiceRegion, groundTruth, storedBySource, storedServiceRegion } from './testing/ground-truth';
import { setUpWorkerProcessTest, startWorkerProcess as startWorker, startWorkerWithJob, tearDownWorkerProcessTest, until, type WorkerProcessWorld } from './testing/worker-process';

const RANGE = { from: '2025-12', to: '2026-09' };
const WINDOW = { from: '2025-12-01', to: '2026-09-30' };

/**
 * DESIGN §3 / issue 5 (b): a worker process is killed with SIGKILL in the middle of a backfill (BullMQ
 * on real Redis); another worker takes the stalled job over and resumes from the per-invoice
 * checkpoint; the months backfilled equal the ground truth exactly, with no duplicate or pending row.
 */
describe.each(['postgres', 'sqlite'] as const)('kill -9 during a backfill (%s)', (kind) => {
  let world: WorkerProcessWorld | undefined;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    // Small pages and a short job lock: the kill lands mid-invoice and the job moves on in seconds.
    world = await setUpWorkerProcessTest({ kind, seed: 11, accountId: 'germany', extra: { MERIDIAN_JOB_LOCK_SECONDS: '3', MERIDIAN_PC_USAGE_PAGE_SIZE: '200', MERIDIAN_SCHEDULER_TICK_SECONDS: '3600' } });
  });

  afterAll(() => tearDownWorkerProcessTest({ workers, ...world }));

  it('resumes after SIGKILL and ends with exact totals, no duplicates, nothing pending', async () => {
    const { sim, store, env, account } = world!;
    const first = await startWorkerWithJob(env, { accountId: account.id, stream: 'backfill', reason: 'manual', range: RANGE });
    workers.push(first);
    const runs = () => store.syncRuns.listForAccount(AccessScope.all(), account.id);
    // Kill it once a few invoices are done and the next one is half read.
    const running = await until('the backfill to be well under way', runs, (r) => (r[0]?.unitsDone ?? 0) >= 3, 60_000);
    const killedAt = running[0];
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(killedAt.status).toBe('running');
    expect(killedAt.unitsTotal).toBe(10);

    const second = startWorker(env);
    workers.push(second);
    const finished = await until('the resumed backfill to finish', runs, (r) => r[0]?.id !== killedAt.id && (r[0]?.status === 'succeeded' || r[0]?.status === 'failed'), 90_000);
    second.kill('SIGTERM');
    expect(finished[0]).toMatchObject({ status: 'succeeded', unitsTotal: 10, unitsDone: 10, stream: 'backfill' });
    // The dead worker's run is not left "running" for ever.
    expect((await runs()).find((r) => r.id === killedAt.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/stopped/) });

    const truth = await groundTruth(sim.url, account.id, WINDOW);
    expect(await storedBySource(store, account.id, WINDOW)).toEqual({ billed: truth.lineItems });
    expect((await storedServiceRegion(store, account.id, WINDOW)).cells).toEqual(expectedServiceRegion(truth));
    const invoices = await store.invoices.inPeriods(account.id, { from: `${RANGE.from}-01`, to: `${RANGE.to}-31` });
    expect(invoices.map((i) => i.billedUsageSyncedAt !== null)).toEqual(Array(10).fill(true));
    expect(invoices.reduce((n, i) => n + i.billedUsageRows, 0)).toBe(truth.lineItems);
  }, 180_000);
});
