import { CanActivate, ExecutionContext, ForbiddenException, Injectable, InternalServerErrorException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AccessScope } from '@meridian/store';
import type { Request } from 'express';
import { PERMISSION_KEY, PUBLIC_KEY } from './auth.decorators';
import { AuthService, AuthenticatedPrincipal, SESSION_COOKIE } from './auth.service';
import { mayUse, scopeFor, type Permission } from './permissions';

export interface AuthenticatedRequest extends Request {
  principal?: AuthenticatedPrincipal;
  accessScope?: AccessScope;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * The one place where a request becomes a principal and an access scope: every route is either
 * @Public or declares a permission; the scope is the accounts (and customers) where the caller's
 * grants give that permission. Cookie sessions must echo their CSRF token on writes.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission>(PERMISSION_KEY, targets);
    if (!permission) throw new InternalServerErrorException('route declares no permission');

    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.auth.authenticate(req.headers.authorization, cookie(req, SESSION_COOKIE));
    if (!principal) throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: 'Sign in, or send an API token as a Bearer token.' });
    if (principal.via === 'session' && !SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== principal.csrfToken) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'Missing or wrong X-CSRF-Token header.' });
    }
    if (!mayUse(principal, permission)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `Your grants do not include ${permission}.` });
    }
    req.principal = principal;
    req.accessScope = scopeFor(principal, permission);
    return true;
  }
}
