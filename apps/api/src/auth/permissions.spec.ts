import type { GrantEntity } from '@meridian/store';
import { mayUse, Principal, scopeFor } from './permissions';

const grant = (accountId: string | null, role: string, customerId: string | null = null): GrantEntity => ({
  id: `${accountId}-${role}-${customerId}`,
  userId: 'u',
  accountId,
  role,
  customerId,
  createdAt: '',
});
const user = (...grants: GrantEntity[]): Principal => ({ userId: 'u', isOwner: false, grants });

describe('grants → access scope', () => {
  it.each([
    { name: 'viewer of A reads costs of A only', p: user(grant('A', 'viewer')), perm: 'costs:read', ids: ['A'] },
    { name: 'viewer of A cannot run syncs anywhere', p: user(grant('A', 'viewer')), perm: 'sync:run', ids: [] },
    { name: 'ops of every account runs syncs everywhere', p: user(grant(null, 'ops')), perm: 'sync:run', ids: undefined },
    { name: 'finance of A and admin of B', p: user(grant('A', 'finance'), grant('B', 'admin')), perm: 'accounts:manage', ids: ['B'] },
    { name: 'every role reads the alerts of its accounts', p: user(grant('A', 'viewer'), grant('B', 'finance'), grant('C', 'ops'), grant('D', 'admin')), perm: 'alerts:read', ids: ['A', 'B', 'C', 'D'] },
    { name: 'ops and admin manage alerts, viewer and finance do not', p: user(grant('A', 'viewer'), grant('B', 'finance'), grant('C', 'ops'), grant('D', 'admin')), perm: 'alerts:manage', ids: ['C', 'D'] },
    { name: 'ops of every account manages alerts everywhere', p: user(grant(null, 'ops')), perm: 'alerts:manage', ids: undefined },
  ] as const)('$name', ({ p, perm, ids }) => {
    expect(scopeFor(p, perm).ids()).toEqual(ids);
  });

  it('limits an account to its customers when all grants on it are customer-scoped', () => {
    const scope = scopeFor(user(grant('A', 'viewer', 'c1'), grant('A', 'viewer', 'c2'), grant('B', 'viewer')), 'costs:read');
    expect(scope.ids()?.sort()).toEqual(['A', 'B']);
    expect(scope.customersOf('A')?.sort()).toEqual(['c1', 'c2']);
    expect(scope.customersOf('B')).toBeUndefined();
  });

  it('a whole-account grant outweighs a customer-scoped one on the same account', () => {
    const scope = scopeFor(user(grant('A', 'viewer', 'c1'), grant('A', 'finance')), 'costs:read');
    expect(scope.customersOf('A')).toBeUndefined();
  });

  it('owners see everything and manage users; others never manage users', () => {
    expect(scopeFor({ userId: 'o', isOwner: true, grants: [] }, 'costs:read').ids()).toBeUndefined();
    expect(mayUse({ userId: 'o', isOwner: true, grants: [] }, 'users:manage')).toBe(true);
    expect(mayUse(user(grant(null, 'admin')), 'users:manage')).toBe(false);
    expect(mayUse(user(grant(null, 'admin')), 'audit:read')).toBe(false);
    expect(mayUse(user(), 'costs:read')).toBe(false);
    expect(mayUse(user(), 'self')).toBe(true);
    expect(mayUse(user(grant('A', 'finance')), 'alerts:manage')).toBe(false);
    expect(mayUse(user(grant('A', 'viewer')), 'alerts:read')).toBe(true);
  });
});
