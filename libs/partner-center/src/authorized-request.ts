/**
 * One logical API request sent with the account's token, for both the Partner Center and the Graph
 * transport: transient failures (429, 5xx, network, timeouts, garbled bodies) are retried with
 * backoff and Retry-After (retry.ts), and a token the API rejects is replaced.
 *
 * Token rejection: the request is resent at once (not counted as a retry) with the account's current
 * token. Several in-flight requests rejected with the same stale token cause one token request: the
 * first rejection drops the token from the cache, the others find the replacement cached or join the
 * token request in flight (TokenCache). When the rejection is final:
 * - 401: for a token requested after this request's first 401. A replacement that another request
 *   asked for earlier may be stale too (revoked in the same sweep): then this request asks for a
 *   token of its own, once.
 * - 403 (Graph, `refreshOnPermissionError`): for any token newer than the one first refused; the
 *   token's roles are what matters, and every token issued since the first refusal has the same.
 */
import { PartnerCenterError } from './errors';
import type { LogFn } from './log';
import { withRetries, type RetryPolicy } from './retry';
import type { TokenCache } from './token-cache';

export interface AuthorizedRequestOptions {
  tokens: TokenCache;
  retry: RetryPolicy;
  log: LogFn;
  /** Prefix of log messages: `partner-center` or `graph`. */
  logName: string;
  now: () => number;
  /**
   * Treat a permission refusal (PartnerCenterError kind `permission`, Graph's 403) like an expired
   * token: Graph puts the app's roles in the token when it is issued, so a permission granted since
   * shows only in a new token, and the 403 is believed only once a fresh token got it too.
   */
  refreshOnPermissionError?: boolean;
}

/** What the log lines of this request say about it (never the token). */
export interface AuthorizedRequestContext {
  requestId: string;
  correlationId: string;
  method: string;
  url: string;
}

/**
 * Runs `send(token, attempt)` until it succeeds or fails for good. `send` makes one HTTP exchange and
 * throws a PartnerCenterError for any failure (retryable or not); `attempt` counts retries (0 first).
 */
export async function sendAuthorized<T>(
  options: AuthorizedRequestOptions,
  context: AuthorizedRequestContext,
  send: (accessToken: string, attempt: number) => Promise<T>,
): Promise<T> {
  const { tokens, log, logName } = options;
  const { requestId, correlationId, method, url } = context;
  const started = options.now();
  const rejectedToken = (err: unknown): err is PartnerCenterError =>
    err instanceof PartnerCenterError &&
    ((err.kind === 'http' && err.status === 401) || (options.refreshOnPermissionError === true && err.kind === 'permission'));

  const result = await withRetries(
    async (attempt) => {
      let token = await tokens.getIssuedToken();
      let firstRejection: { tokenSerial: number; tokenRequestsStarted: number } | undefined;
      for (;;) {
        try {
          return await send(token.accessToken, attempt);
        } catch (err) {
          if (!rejectedToken(err)) throw err;
          const permission = err.kind === 'permission';
          if (firstRejection !== undefined) {
            const final = permission ? token.serial > firstRejection.tokenSerial : token.serial > firstRejection.tokenRequestsStarted;
            if (final) {
              // A refused permission leaves the (valid) token cached: the other requests that were
              // refused with the old token find this fresh one and believe their 403 without a
              // token request each; the next request after a grant refreshes it again.
              if (!permission) tokens.invalidate(token.accessToken);
              throw err;
            }
          }
          firstRejection ??= { tokenSerial: token.serial, tokenRequestsStarted: tokens.tokenRequestsStarted };
          tokens.invalidate(token.accessToken);
          log({ level: 'info', msg: `${logName} ${err.status}, refreshing token and retrying`, requestId, correlationId, method, url });
          token = await tokens.getIssuedToken();
        }
      }
    },
    options.retry,
    {
      onRetry: (err, retry, delayMs) =>
        log({ level: 'warn', msg: `${logName} request failed, retrying`, requestId, correlationId, method, url, status: err.status, kind: err.kind, code: err.code, retry: retry + 1, delayMs }),
    },
  ).catch((err: unknown) => {
    if (err instanceof PartnerCenterError) {
      log({ level: 'error', msg: `${logName} request failed`, requestId, correlationId, method, url, status: err.status, kind: err.kind, code: err.code, attempts: err.attempts });
    }
    throw err;
  });
  log({ level: 'debug', msg: `${logName} request ok`, requestId, correlationId, method, url, durationMs: options.now() - started });
  return result;
}
