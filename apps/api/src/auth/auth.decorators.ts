import { createParamDecorator, ExecutionContext, InternalServerErrorException, SetMetadata } from '@nestjs/common';
import type { AccessScope } from '@meridian/store';
import type { AuthenticatedRequest } from './auth.guard';
import type { Permission, Principal } from './permissions';

export const PUBLIC_KEY = 'meridian:public';
export const PERMISSION_KEY = 'meridian:permission';

/** No sign-in needed (health, login, OIDC callback). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * What a route needs. Every non-public route must say it: the guard refuses routes that do not
 * (fail closed), and the isolation suite checks every route of the application.
 */
export const RequirePermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

function fromRequest<T>(key: 'accessScope' | 'principal', ctx: ExecutionContext): T {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  const value = req[key];
  if (!value) throw new InternalServerErrorException(`no ${key} on this request: is the route missing @RequirePermission?`);
  return value as T;
}

/**
 * The caller's access scope for the route's permission, computed once by the guard. Every service
 * method that reads or writes account data takes it and hands it to the store.
 */
export const RequestScope = createParamDecorator((_: unknown, ctx: ExecutionContext): AccessScope => fromRequest('accessScope', ctx));

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => fromRequest('principal', ctx));
