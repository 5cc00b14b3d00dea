import { randomBytes } from 'node:crypto';
import { AccessScope } from '../access-scope';
import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { createTestStore, TestStore } from '../testing';
import { SavedViewRepository } from './saved-view.repository';

describe('SavedViewRepository.covers', () => {
  const euOnly = AccessScope.accounts(['eu']);
  const euAndUs = AccessScope.accounts(['eu', 'us']);
  const euSomeCustomers = AccessScope.accounts(['eu'], new Map([['eu', new Set(['c1'])]]));
  it.each([
    ['all-accounts scope, view on every account', AccessScope.all(), null, true],
    ['one account, view on every account', euOnly, null, false],
    ['one account, view on it', euOnly, ['eu'], true],
    ['one account, view on it and another', euOnly, ['eu', 'us'], false],
    ['two accounts, view on one', euAndUs, ['us'], true],
    ['some customers of the account, view on the account', euSomeCustomers, ['eu'], false],
    ['all-accounts scope, view on two accounts', AccessScope.all(), ['eu', 'cn'], true],
  ] as const)('%s → %s', (_name, scope, accountIds, expected) => {
    expect(SavedViewRepository.covers(scope, accountIds === null ? null : [...accountIds])).toBe(expected);
  });
});

describe.each(['sqlite', 'postgres'] as const)('saved views on %s', (kind) => {
  let test: TestStore;
  let store: Store;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(randomBytes(32)));
    alice = (await store.users.create({ email: 'alice@example.test', displayName: 'Alice', passwordHash: null })).id;
    bob = (await store.users.create({ email: 'bob@example.test', displayName: 'Bob', passwordHash: null })).id;
  });
  afterAll(async () => {
    await store.close();
    await test.drop();
  });

  it('lists own views and the shared views a scope covers; private views stay private', async () => {
    const view = (name: string, shared: boolean) => ({ name, path: '/explorer', query: 'group=service', shared });
    const sharedEu = await store.savedViews.create(alice, view('EU shared', true), ['eu']);
    await store.savedViews.create(alice, view('EU private', false), ['eu']);
    await store.savedViews.create(alice, view('EU+US shared', true), ['eu', 'us']);
    await store.savedViews.create(alice, view('Everything shared', true), null);

    const bobEu = await store.savedViews.listVisible(bob, AccessScope.accounts(['eu']));
    expect(bobEu.map((v) => v.name)).toEqual(['EU shared']);
    expect(bobEu[0]).toMatchObject({ ownerName: 'Alice', mine: false, accountIds: ['eu'], shared: true });

    const bobAll = await store.savedViews.listVisible(bob, AccessScope.all());
    expect(bobAll.map((v) => v.name).sort()).toEqual(['EU shared', 'EU+US shared', 'Everything shared']);
    const aliceOwn = await store.savedViews.listVisible(alice, AccessScope.accounts([]));
    expect(aliceOwn).toHaveLength(4);
    expect(aliceOwn.every((v) => v.mine)).toBe(true);

    expect(await store.savedViews.getVisible(sharedEu.id, bob, AccessScope.accounts(['us']))).toBeUndefined();
    expect((await store.savedViews.getVisible(sharedEu.id, bob, AccessScope.accounts(['eu'])))?.name).toBe('EU shared');

    await store.savedViews.update(sharedEu.id, { shared: false }, undefined);
    expect(await store.savedViews.getVisible(sharedEu.id, bob, AccessScope.all())).toBeUndefined();
    await store.savedViews.delete(sharedEu.id);
    expect(await store.savedViews.getVisible(sharedEu.id, alice, AccessScope.all())).toBeUndefined();
    expect(await store.savedViews.listVisible(alice, AccessScope.all(), '/overview')).toEqual([]);
  });
});
