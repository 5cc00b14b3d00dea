import type { MeResponse, Role } from '@meridian/contracts';

/** What the nav offers; the API decides for real (this only hides what would answer 403). */
export type UiPermission = 'costs' | 'invoices' | 'sync' | 'manage' | 'users';

const ROLE: Record<Role, UiPermission[]> = {
  viewer: ['costs'],
  finance: ['costs', 'invoices'],
  ops: ['costs', 'sync'],
  admin: ['costs', 'invoices', 'sync', 'manage'],
};

export function can(me: MeResponse | undefined, permission: UiPermission): boolean {
  if (!me) return false;
  if (me.user.isOwner) return true;
  if (permission === 'users') return false;
  return me.user.grants.some((g) => ROLE[g.role]?.includes(permission));
}
