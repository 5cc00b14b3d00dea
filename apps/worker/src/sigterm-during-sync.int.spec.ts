import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { AccessScope } from '@meridian/store';
import { syncJobId } from '@meridian/sync';
import { expectedServiceRegion, groundTruth, storedBySource, storedServiceRegion } from './testing/ground-truth';
import { REDIS_URL } from './testing/worker-harness';
import {
  setUpWorkerProcessTest,
  startWorkerProcess as startWorker,
  startWorkerWithJob,
  tearDownWorkerProcessTest,
  until,
  type WorkerProcessWorld,
} from './testing/worker-process';

/**
 * Issue 17 (8), scaled mode: SIGTERM reaches a worker process (BullMQ on real Redis, PostgreSQL) in
 * the middle of a sync. The sync stops after the page it was writing, the run is recorded as
 * interrupted, the job goes back to the queue's waiting list under its id, and the process exits
 * on its own well within a container's grace period. The next worker resumes the job; the totals
 * equal the simulator's ground truth exactly, with no duplicate row.
 */
describe('SIGTERM during a sync (BullMQ, PostgreSQL)', () => {
  let world: WorkerProcessWorld | undefined;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    // Small pages: the signal lands between two of many commits.
    world = await setUpWorkerProcessTest({
      kind: 'postgres',
      seed: 23,
      accountId: 'usgov',
      extra: { MERIDIAN_PC_USAGE_PAGE_SIZE: '100', MERIDIAN_SCHEDULER_TICK_SECONDS: '3600' },
    });
  });

  afterAll(() => tearDownWorkerProcessTest({ workers, ...world }));

  it('stops after the current page, requeues the job, and the next worker ends with exact totals', async () => {
    const { sim, store, env, account } = world!;
    const first = await startWorkerWithJob(env, { accountId: account.id, stream: 'unbilled-usage', reason: 'manual' });
    workers.push(first);
    const runs = () => store.syncRuns.listForAccount(AccessScope.all(), account.id);
    await until('the sync to be under way', runs, (r) => r[0]?.status === 'running' && r[0].pages >= 3, 60_000, 20);
    const signalled = Date.now();
    first.kill('SIGTERM');
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      first.once('exit', (code, signal) => resolve({ code, signal })),
    );
    // Nest re-raises the signal once its hooks are done: a clean exit "by SIGTERM", not a SIGKILL.
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    expect(Date.now() - signalled).toBeLessThan(20_000);

    const interrupted = (await runs())[0];
    expect(interrupted).toMatchObject({ status: 'failed', error: expect.stringMatching(/^interrupted by shutdown after \d+ pages/) });
    const truth = await groundTruth(sim.url, account.id);
    expect(interrupted.rows).toBeLessThan(truth.lineItems);
    // The job waits in the queue under its id for the next worker.
    const raw = new Queue('meridian-sync', {
      connection: { host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379) },
      prefix: env.MERIDIAN_QUEUE_PREFIX,
    });
    try {
      expect(await (await raw.getJob(syncJobId({ accountId: account.id, stream: 'unbilled-usage' })))?.getState()).toBe('waiting');
    } finally {
      await raw.close();
    }

    const second = startWorker(env);
    workers.push(second);
    const finished = await until(
      'the resumed sync to finish',
      runs,
      (r) => r[0]?.id !== interrupted.id && (r[0]?.status === 'succeeded' || r[0]?.status === 'failed'),
      90_000,
    );
    second.kill('SIGTERM');
    expect(finished[0]).toMatchObject({ status: 'succeeded', stream: 'unbilled-usage' });
    expect(await storedBySource(store, account.id)).toEqual({ unbilled: truth.lineItems });
    expect((await storedServiceRegion(store, account.id)).cells).toEqual(expectedServiceRegion(truth));
  }, 180_000);
});
