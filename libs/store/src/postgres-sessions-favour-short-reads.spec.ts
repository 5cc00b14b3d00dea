import { SecretBox } from './secret-box';
import { Store } from './store';
import { createTestStore, TestStore } from './testing';

/**
 * The store's PostgreSQL sessions carry the planner settings its aggregate reads were measured with
 * (docs/decisions/0033): every pooled connection, not only the first, since parts of one answer run
 * on several at once (decision 0032).
 */
describe('PostgreSQL sessions opened by the store', () => {
  let test: TestStore;
  let store: Store;

  beforeAll(async () => {
    test = await createTestStore('postgres');
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 5)));
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await test?.drop();
  });

  it('hash a year of groups in memory and start parallel workers only for long scans, on every pooled connection', async () => {
    // Held open at once, so that each SHOW runs on a connection of its own.
    const runners = Array.from({ length: 4 }, () => store.dataSource.createQueryRunner());
    try {
      for (const runner of runners) await runner.connect();
      const settings = await Promise.all(
        runners.map(async (runner) => ({
          workMem: ((await runner.query('SHOW work_mem')) as { work_mem: string }[])[0].work_mem,
          parallelSetupCost: ((await runner.query('SHOW parallel_setup_cost')) as { parallel_setup_cost: string }[])[0].parallel_setup_cost,
          pid: ((await runner.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0].pid,
        })),
      );
      expect(new Set(settings.map((s) => s.pid)).size).toBe(runners.length);
      for (const s of settings)
        expect({ workMem: s.workMem, parallelSetupCost: s.parallelSetupCost }).toEqual({ workMem: '32MB', parallelSetupCost: '10000' });
    } finally {
      for (const runner of runners) await runner.release();
    }
  });
});
