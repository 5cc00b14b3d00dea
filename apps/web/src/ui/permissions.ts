import type { MeResponse, Role } from '@meridian/contracts';

/** What the nav offers; the API decides for real (this only hides what would answer 403). */
export type UiPermission = 'costs' | 'invoices' | 'sync' | 'manage' | 'users' | 'alerts';

const ROLE: Record<Role, UiPermission[]> = {
  viewer: ['costs'],
  finance: ['costs', 'invoices'],
  ops: ['costs', 'sync', 'alerts'],
  admin: ['costs', 'invoices', 'sync', 'manage', 'alerts'],
};

export function can(me: MeResponse | undefined, permission: UiPermission): boolean {
  if (!me) return false;
  if (me.user.isOwner) return true;
  if (permission === 'users') return false;
  return me.user.grants.some((g) => ROLE[g.role]?.includes(permission));
}

/**
 * The permission on every account (a grant for all accounts): what organisation-wide things need,
 * such as notification channels, budgets spanning accounts and evaluating alert rules now.
 */
export function canEverywhere(me: MeResponse | undefined, permission: UiPermission): boolean {
  if (!me) return false;
  if (me.user.isOwner) return true;
  if (permission === 'users') return false;
  return me.user.grants.some((g) => g.accountId === null && g.customerId === null && ROLE[g.role]?.includes(permission));
}
