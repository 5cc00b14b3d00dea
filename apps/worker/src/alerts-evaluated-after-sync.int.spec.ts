import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { verifyWebhookSignature } from '@meridian/notify';
import { startSimulator } from '@meridian/pc-sim';
import { AccessScope, createTestStore, Store, TestStore } from '@meridian/store';
import { BullMqSyncQueue, connectSimulatorAccounts, SYNC_QUEUE, SyncQueue } from '@meridian/sync';
import { WorkerModule } from './worker.module';
import { SIM_NOW } from './testing/ground-truth';
import { REDIS_URL, workerEnv } from './testing/worker-harness';

const SECRET = 'worker-hook-signing-secret-0000';

/**
 * The worker evaluates alerts by itself after a cost sync: the simulator serves some malformed
 * line items, the sync quarantines them, and the sync-health rule's webhook is called, signed,
 * without anyone asking for an evaluation.
 */
describe('worker evaluates alerts after each cost sync', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let test: TestStore;
  let app: INestApplicationContext;
  let store: Store;
  let server: Server;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: SIM_NOW, profile: 'sandbox', graphDelaySeconds: 0 });
    await fetch(`${sim.url}/_sim/faults/global-sandbox`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rate: 0.05, kinds: ['malformed'] }),
    });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    test = await createTestStore('sqlite');
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(workerEnv(test.config, REDIS_URL, { MERIDIAN_ALERT_DELIVERY_BASE_MS: '20' })), {
      logger: false,
      abortOnError: false,
    });
    store = app.get(Store);
    const hook = await store.channels.create(
      { kind: 'webhook', name: 'Ops hook', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, format: 'meridian', secret: SECRET },
      { userId: null },
    );
    await store.alertRules.create({ name: 'Sandbox sync health', kind: 'sync-health', channelIds: [hook.id], syncHealth: { staleHours: 26 } }, { userId: null });
    // Connected after the rule exists, as an admin would: the scheduler's next tick syncs it.
    await connectSimulatorAccounts(store, sim.url);
  });

  afterAll(async () => {
    const queue = app?.get<SyncQueue>(SYNC_QUEUE);
    if (queue instanceof BullMqSyncQueue) await queue.obliterate().catch(() => undefined);
    await app?.close();
    await test?.drop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sim?.close();
  });

  it('notifies the quarantined records once, signed', async () => {
    const deadline = Date.now() + 60_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    // Later syncs of the same account evaluate again: still one notification for the one crossing.
    await new Promise((r) => setTimeout(r, 1500));
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(verifyWebhookSignature(SECRET, request.headers, request.body, 3600)).toEqual({ ok: true });
    const payload = JSON.parse(request.body);
    expect(payload).toMatchObject({ event: 'alert.fired', alert: { category: 'sync-health', ruleName: 'Sandbox sync health' } });
    expect(payload.alert.condition).toMatch(/^\d+ malformed record\(s\) quarantined by the latest sync$/);
    const events = await store.alertEvents.list(AccessScope.accounts(['global-sandbox']), {});
    expect(events.items.map((e) => [e.thresholdId, e.status])).toEqual([['global-sandbox:quarantined', 'open']]);
  });
});
