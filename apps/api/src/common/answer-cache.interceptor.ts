import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { defer, from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { AnswerCache } from './answer-cache';
import { apiToday } from './clock';

/**
 * A GET whose answer depends only on the caller's access scope, the URL and the data: served from
 * the AnswerCache, serialized once. Mark only routes whose service reads the store (no clock but
 * the api's day, no per-user state but the scope). The interceptor runs on marked routes only:
 * Nest wraps every interceptor call in AsyncResource.bind, a cost no other route should pay. The
 * cache's other half — every write through the api retires cached answers — is counted where Nest
 * replies (MeridianExpressAdapter.onWriteReply, wired in bootstrap).
 */
export const CachedAnswer = () => UseInterceptors(AnswerCacheInterceptor);

@Injectable()
export class AnswerCacheInterceptor implements NestInterceptor {
  constructor(private readonly cache: AnswerCache) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!req.accessScope) return next.handle();
    const key = `${req.accessScope.key()}\n${apiToday()}\n${req.originalUrl}`;
    return defer(() => from(this.cache.get(key, () => lastValueFrom(next.handle()))));
  }
}
