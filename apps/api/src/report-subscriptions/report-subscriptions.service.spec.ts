import { randomBytes } from 'node:crypto';
import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { AccessScope, createTestStore, SecretBox, Store, type TestStore } from '@meridian/store';
import type { Principal } from '../auth/permissions';
import { ReportSubscriptionsService } from './report-subscriptions.service';

describe('ReportSubscriptionsService on a real store', () => {
  let test: TestStore;
  let store: Store;
  let service: ReportSubscriptionsService;
  let alice: Principal;
  let bob: Principal;
  let owner: Principal;
  const eu = AccessScope.accounts(['eu']);
  const us = AccessScope.accounts(['us']);

  beforeAll(async () => {
    test = await createTestStore('sqlite');
    store = await Store.open(test.config, SecretBox.fromKey(randomBytes(32)));
    service = new ReportSubscriptionsService(store);
    const user = async (name: string, isOwner = false): Promise<Principal> => ({ userId: (await store.users.create({ email: `${name}@example.test`, displayName: name, passwordHash: null, isOwner })).id, isOwner, grants: [] });
    alice = await user('alice');
    bob = await user('bob');
    owner = await user('owner', true);
  });
  afterAll(async () => {
    await store?.close();
    await test?.drop();
  });

  it('subscribes a user to a cost view they see, changes the frequency, and audits both', async () => {
    const view = await store.savedViews.create(alice.userId, { name: 'EU', path: '/explorer', query: 'accounts=eu', shared: true }, ['eu']);
    const first = await service.subscribe(bob, eu, view.id, 'weekly');
    expect(first).toMatchObject({ created: true, subscription: { viewId: view.id, userId: bob.userId, frequency: 'weekly', viewName: 'EU' } });
    const again = await service.subscribe(bob, eu, view.id, 'daily');
    expect(again).toMatchObject({ created: false, subscription: { id: first.subscription.id, frequency: 'daily' } });
    const audit = (await store.audit.list(10)).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['report-subscription.create', 'report-subscription.update']));
    // Bob sees only his own; the owner sees everyone's.
    await service.subscribe(alice, eu, view.id, 'monthly');
    expect((await service.listForView(bob, eu, view.id)).items.map((s) => s.userId)).toEqual([bob.userId]);
    expect((await service.listForView(owner, AccessScope.all(), view.id)).items).toHaveLength(2);
    expect((await service.list(owner, true)).items).toHaveLength(2);
    await expect(service.list(bob, true)).rejects.toThrow(ForbiddenException);
  });

  it('answers 404 for a view the caller cannot see and 400 for a view that is not a cost table', async () => {
    const euView = await store.savedViews.create(alice.userId, { name: 'EU 2', path: '/explorer', query: 'accounts=eu', shared: true }, ['eu']);
    await expect(service.subscribe(bob, us, euView.id, 'weekly')).rejects.toThrow(NotFoundException);
    const privateView = await store.savedViews.create(alice.userId, { name: 'Mine', path: '/explorer', query: 'accounts=eu', shared: false }, ['eu']);
    await expect(service.subscribe(bob, eu, privateView.id, 'weekly')).rejects.toThrow(NotFoundException);
    const invoices = await store.savedViews.create(bob.userId, { name: 'Invoices', path: '/invoices', query: '', shared: false }, ['eu']);
    const refusal = await service.subscribe(bob, eu, invoices.id, 'weekly').catch((e: BadRequestException) => e);
    expect(refusal).toBeInstanceOf(BadRequestException);
    expect((refusal as BadRequestException).getResponse()).toMatchObject({ statusCode: 400, issues: [{ field: 'viewId', message: expect.stringContaining('only cost views') }] });
  });

  it("deletes one's own subscription; another user's is a 404 except for the owner", async () => {
    const [bobs] = (await service.list(bob, false)).items;
    const [alices] = (await service.list(alice, false)).items;
    await expect(service.remove(bob, alices.id)).rejects.toThrow(NotFoundException);
    await service.remove(bob, bobs.id);
    await service.remove(owner, alices.id);
    expect((await service.list(owner, true)).items).toEqual([]);
  });
});
