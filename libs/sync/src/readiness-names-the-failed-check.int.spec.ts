import { createTestStore, SecretBox, Store, type TestStore } from '@meridian/store';
import { BullMqSyncQueue } from './queue/bullmq-sync-queue';
import { InProcessSyncQueue } from './queue/in-process-sync-queue';
import { checkReadiness } from './readiness';

const REDIS_URL = process.env.REDIS_TEST_URL || 'redis://127.0.0.1:6379';

describe.each(['sqlite', 'postgres'] as const)('checkReadiness on %s', (kind) => {
  let test: TestStore;
  let store: Store;

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 7)));
  });

  afterAll(async () => {
    await store?.close();
    await test?.drop();
  });

  it('is ready with every migration applied and a fresh heartbeat; stale or missing heartbeats fail the worker check', async () => {
    const queue = new InProcessSyncQueue();
    expect((await checkReadiness(store, queue, { redis: false, maxHeartbeatAgeSeconds: 30 })).checks.worker).toEqual({ ok: false, error: 'no worker heartbeat' });
    await queue.heartbeat('w1', 60_000);
    const ready = await checkReadiness(store, queue, { redis: false, maxHeartbeatAgeSeconds: 30 });
    expect(ready).toEqual({
      status: 'ready',
      checks: {
        database: { ok: true, type: kind === 'sqlite' ? 'better-sqlite3' : 'postgres' },
        migrations: { ok: true, applied: store.dataSource.migrations.length },
        worker: { ok: true, lastHeartbeatAt: expect.any(String), ageSeconds: expect.any(Number) },
      },
    });
    const later = await checkReadiness(store, queue, { redis: false, maxHeartbeatAgeSeconds: 30, now: () => Date.now() + 45_000 });
    expect(later.status).toBe('not ready');
    expect(later.checks.worker).toMatchObject({ ok: false, error: expect.stringMatching(/^last worker heartbeat 4\d(\.\d)? s ago \(limit 30 s\)$/) });
  });

  it('names the migrations a schema lacks', async () => {
    const queue = new InProcessSyncQueue();
    await queue.heartbeat('w1', 60_000);
    const last = store.dataSource.migrations[store.dataSource.migrations.length - 1].name!;
    await store.dataSource.query(`DELETE FROM migrations WHERE name = '${last}'`);
    try {
      const r = await checkReadiness(store, queue, { redis: false, maxHeartbeatAgeSeconds: 30 });
      expect(r.status).toBe('not ready');
      expect(r.checks.migrations).toEqual({ ok: false, error: '1 migration(s) not applied', pending: [last] });
      expect(r.checks.database.ok).toBe(true);
    } finally {
      await store.dataSource.query(`INSERT INTO migrations (timestamp, name) VALUES (${Number(last.match(/\d{13}/)![0])}, '${last}')`);
    }
  });

  if (kind === 'postgres') {
    it('checks Redis with the queue (and two workers\' heartbeats in it)', async () => {
      const prefix = `meridian-ready-${Math.random().toString(36).slice(2, 8)}`;
      const queue = new BullMqSyncQueue({ redisUrl: REDIS_URL, prefix });
      try {
        await queue.heartbeat('w1', 60_000);
        await queue.heartbeat('w2', 60_000);
        const r = await checkReadiness(store, queue, { redis: true, maxHeartbeatAgeSeconds: 30 });
        expect(r.status).toBe('ready');
        expect(r.checks.redis).toEqual({ ok: true });
      } finally {
        await queue.obliterate();
        await queue.close();
      }
    });

    it('gives up on a Redis that does not answer after its deadline (ioredis would wait for ever)', async () => {
      // The one stand-in of this file: a queue whose Redis never answers (a stopped Redis, as seen by ioredis).
      const never = () => new Promise<never>(() => undefined);
      const silent = Object.assign(new InProcessSyncQueue(), { ping: never, latestHeartbeat: never });
      const started = Date.now();
      const r = await checkReadiness(store, silent, { redis: true, maxHeartbeatAgeSeconds: 30, timeoutMs: 500 });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(r.checks.redis).toEqual({ ok: false, error: 'redis did not answer within 500 ms' });
      expect(r.checks.worker).toEqual({ ok: false, error: 'worker heartbeat did not answer within 500 ms' });
      expect(r.checks.database.ok).toBe(true);
    });
  }
});
