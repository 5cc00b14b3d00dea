import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SYNC_STREAMS } from '@meridian/sync';
import { WorkerModule } from './worker.module';
import { storedBySource, truthBySource } from './testing/ground-truth';
import { allSucceeded, startWorkerHarness, waitForStreams, WorkerHarness } from './testing/worker-harness';

/**
 * Two workers on one Redis and one PostgreSQL store: both schedulers enqueue every account, the
 * job ids collapse their enqueues, each account × stream runs once, and no row is duplicated.
 */
describe('two workers sharing one Redis', () => {
  let h: WorkerHarness;
  let second: INestApplicationContext;

  beforeAll(async () => {
    h = await startWorkerHarness('postgres', { seed: 3 });
    second = await NestFactory.createApplicationContext(WorkerModule.forRoot(h.env), { logger: false, abortOnError: false });
  }, 60_000);

  afterAll(async () => {
    await second?.close();
    await h?.close();
  });

  it('share the work: every stream of every account ran exactly once, rows equal the ground truth', async () => {
    const ids = h.accounts.map((a) => a.id);
    expect(await waitForStreams(h.store, ids, (s) => s === 'succeeded' || s === 'failed', 90_000)).toEqual(allSucceeded(ids));
    // Let both schedulers tick a few more times: nothing is due again, nothing runs twice.
    await new Promise((r) => setTimeout(r, 3000));
    const runs: { account_id: string; stream: string; n: string }[] = await h.store.dataSource.query(
      'SELECT account_id, stream, count(*) AS n FROM sync_run GROUP BY account_id, stream',
    );
    expect(runs.map((r) => Number(r.n))).toEqual(Array(ids.length * SYNC_STREAMS.length).fill(1));
    for (const a of h.accounts) {
      expect({ account: a.id, rows: await storedBySource(h.store, a.id) }).toEqual({ account: a.id, rows: await truthBySource(h.sim.url, a.id) });
    }
  }, 120_000);
});
