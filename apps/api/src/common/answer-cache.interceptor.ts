import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { defer, finalize, from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { AnswerCache } from './answer-cache';
import { ApiWrites } from './api-writes';
import { apiToday } from './clock';

const CACHED_ANSWER = 'meridian:cached-answer';

/**
 * A GET whose answer depends only on the caller's access scope, the URL and the data: served from
 * the AnswerCache, serialized once. Mark only routes whose service reads the store (no clock but
 * the api's day, no per-user state but the scope).
 */
export const CachedAnswer = () => SetMetadata(CACHED_ANSWER, true);

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One place for both halves of the answer cache: marked GETs are answered from it, and every
 * write through the api (accounts, settings, rates, grants) is counted when it ends (ApiWrites),
 * which retires every cached answer and principal, so a caller never reads one older than their
 * own write.
 */
@Injectable()
export class AnswerCacheInterceptor implements NestInterceptor {
  constructor(
    private readonly cache: AnswerCache,
    private readonly apiWrites: ApiWrites,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!READ_METHODS.has(req.method)) return next.handle().pipe(finalize(() => this.apiWrites.written()));
    if (!this.reflector.get<boolean>(CACHED_ANSWER, ctx.getHandler()) || !req.accessScope) return next.handle();
    const key = `${req.accessScope.key()}\n${apiToday()}\n${req.originalUrl}`;
    return defer(() => from(this.cache.get(key, () => lastValueFrom(next.handle()))));
  }
}
