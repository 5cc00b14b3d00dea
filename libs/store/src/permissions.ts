import type { Role } from '@meridian/contracts';
import { AccessScope } from './access-scope';
import type { GrantEntity } from './entities/grant.entity';

/**
 * Grants → permissions and access scope, in the store so that the api (per request) and the worker
 * (scheduled reports, at send time) compute a user's scope with the same code.
 *
 * What a route needs. Data permissions are per account (and per customer for customer-scoped
 * grants); `users:manage` and `audit:read` belong to the organisation owner; `self` is any
 * signed-in user acting on their own things (profile, API tokens).
 */
export type Permission =
  | 'costs:read'
  | 'invoices:read'
  | 'rates:manage'
  | 'accounts:read'
  | 'sync:run'
  | 'accounts:manage'
  | 'alerts:read'
  | 'alerts:manage'
  | 'settings:manage'
  | 'users:manage'
  | 'audit:read'
  | 'self';

/**
 * Roles → account permissions (DESIGN §5: admin manages the connection and budgets; agents read
 * data; ops also runs syncs and looks after alerts).
 */
const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['costs:read', 'accounts:read', 'alerts:read'],
  // Invoices, balances and reconciliation are finance's (Partner Center's billing admin), not ops'.
  finance: ['costs:read', 'invoices:read', 'rates:manage', 'accounts:read', 'alerts:read'],
  ops: ['costs:read', 'accounts:read', 'sync:run', 'alerts:read', 'alerts:manage'],
  admin: ['costs:read', 'invoices:read', 'rates:manage', 'accounts:read', 'sync:run', 'accounts:manage', 'alerts:read', 'alerts:manage', 'settings:manage'],
};

const OWNER_ONLY: readonly Permission[] = ['users:manage', 'audit:read'];

export interface Principal {
  userId: string;
  isOwner: boolean;
  grants: GrantEntity[];
}

/** May this principal use a route that needs `permission` at all (for some account)? */
export function mayUse(principal: Principal, permission: Permission): boolean {
  if (permission === 'self') return true;
  if (principal.isOwner) return true;
  if (OWNER_ONLY.includes(permission)) return false;
  return principal.grants.some((g) => ROLE_PERMISSIONS[g.role as Role]?.includes(permission));
}

/**
 * The access scope for one permission: the accounts where some grant gives it; an account is
 * limited to customers when every such grant on it is customer-scoped.
 */
export function scopeFor(principal: Principal, permission: Permission): AccessScope {
  if (principal.isOwner) return AccessScope.all();
  const relevant = principal.grants.filter((g) => ROLE_PERMISSIONS[g.role as Role]?.includes(permission));
  if (relevant.some((g) => g.accountId === null && g.customerId === null)) return AccessScope.all();
  const whole = new Set<string>();
  const limited = new Map<string, Set<string>>();
  for (const g of relevant) {
    if (g.accountId === null) continue; // a customer id only makes sense within one account
    if (g.customerId === null) whole.add(g.accountId);
    else limited.set(g.accountId, (limited.get(g.accountId) ?? new Set()).add(g.customerId));
  }
  for (const id of whole) limited.delete(id);
  return AccessScope.accounts([...whole, ...limited.keys()], limited);
}
