import { randomBytes } from 'node:crypto';
import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { createTestStore, TestStore } from '../testing';

describe.each(['sqlite', 'postgres'] as const)('report subscriptions on %s', (kind) => {
  let test: TestStore;
  let store: Store;
  let second: Store;
  let alice: string;
  let bob: string;
  let viewId: string;

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(randomBytes(32)));
    second = await Store.open(test.config, SecretBox.fromKey(randomBytes(32)));
    alice = (await store.users.create({ email: 'alice@example.test', displayName: 'Alice', passwordHash: null })).id;
    bob = (await store.users.create({ email: 'bob@example.test', displayName: 'Bob', passwordHash: null })).id;
    viewId = (await store.savedViews.create(alice, { name: 'EU by service', path: '/explorer', query: 'group=service&accounts=eu', shared: true }, ['eu'])).id;
  });
  afterAll(async () => {
    await second?.close();
    await store?.close();
    await test?.drop();
  });

  it('subscribes once per user and view; subscribing again changes the frequency', async () => {
    const first = await store.reportSubscriptions.upsert(bob, viewId, 'weekly');
    expect(first.created).toBe(true);
    expect(first.record).toMatchObject({ viewId, viewName: 'EU by service', viewPath: '/explorer', userId: bob, userName: 'Bob', frequency: 'weekly', lastPeriod: null, lastSentAt: null });
    const again = await store.reportSubscriptions.upsert(bob, viewId, 'monthly');
    expect(again).toMatchObject({ created: false, record: { id: first.record.id, frequency: 'monthly' } });
    await store.reportSubscriptions.upsert(alice, viewId, 'daily');
    expect((await store.reportSubscriptions.list({ userId: bob })).map((s) => s.frequency)).toEqual(['monthly']);
    expect(await store.reportSubscriptions.list({ viewId })).toHaveLength(2);
    const targets = await store.reportSubscriptions.targets();
    expect(targets.find((t) => t.user.id === bob)).toMatchObject({ frequency: 'monthly', view: { id: viewId, accountIds: ['eu'], ownerId: alice, shared: true }, user: { email: 'bob@example.test', disabled: false } });
  });

  it('gives a period to exactly one of several concurrent claimers, on two connections', async () => {
    const sub = (await store.reportSubscriptions.list({ userId: bob }))[0];
    const at = new Date('2026-12-01T07:00:00Z');
    const claims = await Promise.all([...Array(6).keys()].map((i) => (i % 2 ? second : store).reportSubscriptions.claim(sub.id, '2026-11', at)));
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
    const id = claims.find((c) => c !== null)!;
    // While it is being sent, and after it was sent, nobody gets it again.
    expect(await store.reportSubscriptions.claim(sub.id, '2026-11', at)).toBeNull();
    await store.reportSubscriptions.markSent(id, at, 12);
    expect(await second.reportSubscriptions.claim(sub.id, '2026-11', at)).toBeNull();
    expect(await store.reportSubscriptions.get(sub.id)).toMatchObject({ lastPeriod: '2026-11', lastSentAt: at.toISOString() });
    // Another period is a new claim.
    expect(await store.reportSubscriptions.claim(sub.id, '2026-12', at)).not.toBeNull();
  });

  it('lets one retrier take over a failed delivery', async () => {
    const sub = (await store.reportSubscriptions.list({ userId: alice }))[0];
    const at = new Date('2026-11-25T07:00:00Z');
    const id = (await store.reportSubscriptions.claim(sub.id, '2026-11-24', at))!;
    await store.reportSubscriptions.markFailed(id, 'connect ECONNREFUSED 127.0.0.1:25');
    const retries = await Promise.all([store, second, store, second].map((s) => s.reportSubscriptions.claim(sub.id, '2026-11-24', new Date('2026-11-25T08:00:00Z'))));
    expect(retries.filter((c) => c !== null)).toEqual([id]);
    expect((await store.reportSubscriptions.delivery(sub.id, '2026-11-24'))).toMatchObject({ status: 'sending', attempts: 2, error: null });
  });

  it('drops the subscriptions and deliveries of a deleted view', async () => {
    await store.savedViews.delete(viewId);
    expect(await store.reportSubscriptions.list()).toEqual([]);
    expect(await store.reportSubscriptions.targets()).toEqual([]);
  });
});
