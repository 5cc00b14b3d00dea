import { randomBytes } from 'node:crypto';
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { lastCompleteReportPeriod } from '@meridian/finops';
import { parseMail } from '@meridian/notify';
import { createTestStore, SecretBox, Store, TestStore } from '@meridian/store';
import { BullMqSyncQueue, SYNC_QUEUE, SyncQueue } from '@meridian/sync';
import { SMTPServer } from 'smtp-server';
import { WorkerModule } from './worker.module';
import { REDIS_URL, workerEnv } from './testing/worker-harness';

/**
 * Two worker processes' worth of applications on one PostgreSQL store and Redis, each running the
 * scheduled-report cron every second: the subscriber gets yesterday's daily report once, through a
 * real SMTP server; a subscriber whose grant on the view's account was revoked gets none.
 */
describe('scheduled reports in the worker', () => {
  let test: TestStore;
  let seed: Store;
  const workers: INestApplicationContext[] = [];
  let smtp: SMTPServer;
  const received: { to: string[]; subject: string }[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: parseMail(Buffer.concat(chunks).toString('utf8')).headers.subject ?? '' });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = ((smtp as unknown as { server: Server }).server.address() as AddressInfo).port;

    test = await createTestStore('postgres');
    seed = await Store.open(test.config, SecretBox.fromKey(randomBytes(32)));
    const [ann, ben] = await Promise.all(['ann', 'ben'].map((n) => seed.users.create({ email: `${n}@example.test`, displayName: n, passwordHash: null })));
    await seed.users.replaceGrants(ann.id, [{ accountId: 'acme', role: 'viewer' }]);
    await seed.users.replaceGrants(ben.id, [{ accountId: 'acme', role: 'viewer' }]);
    const view = await seed.savedViews.create(ann.id, { name: 'Acme by service', path: '/explorer', query: 'group=service&accounts=acme', shared: true }, ['acme']);
    await seed.reportSubscriptions.upsert(ann.id, view.id, 'daily');
    await seed.reportSubscriptions.upsert(ben.id, view.id, 'daily');
    // Ben's grant on Acme is revoked (he keeps another account): the shared view is no longer his to see.
    await seed.users.replaceGrants(ben.id, [{ accountId: 'other', role: 'viewer' }]);

    const env = workerEnv(test.config, REDIS_URL, {
      MERIDIAN_REPORTS_CRON: '* * * * * *',
      MERIDIAN_SMTP_URL: `smtp://127.0.0.1:${port}`,
      MERIDIAN_SMTP_FROM: 'Meridian Reports <reports@meridian.test>',
      MERIDIAN_DIGEST_CRON: 'off',
    });
    for (let i = 0; i < 2; i++) workers.push(await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { logger: false, abortOnError: false }));
  }, 60_000);

  afterAll(async () => {
    const queue = workers[0]?.get<SyncQueue>(SYNC_QUEUE);
    if (queue instanceof BullMqSyncQueue) await queue.obliterate().catch(() => undefined);
    for (const w of workers) await w.close();
    await seed?.close();
    await test?.drop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it("sends yesterday's report once to the subscriber who still sees the view, none after a revoked grant", async () => {
    const before = lastCompleteReportPeriod('daily', new Date()).key;
    const deadline = Date.now() + 20_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Both workers tick every second: three more seconds of ticks send nothing more.
    await new Promise((r) => setTimeout(r, 3_000));
    // The period the workers saw (a run across midnight UTC would see the next day's).
    const yesterday = [before, lastCompleteReportPeriod('daily', new Date()).key].find((p) => received[0]?.subject.includes(` ${p}:`)) ?? before;
    expect(received).toEqual([{ to: ['ann@example.test'], subject: `[Meridian] Daily report "Acme by service" ${yesterday}: no cost` }]);
    const [sub] = (await seed.reportSubscriptions.list()).filter((s) => s.userName === 'ann');
    expect(await seed.reportSubscriptions.deliveriesOf(sub.id)).toMatchObject([{ period: yesterday, status: 'sent', attempts: 1, rows: 0 }]);
  });
});
