import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { withLogContext } from './log-context';

/** An incoming X-Request-Id is kept when it looks like an id (so a proxy's id follows the request). */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Paths without a completion line or log context: probes and scrapes, called every few seconds by
 * orchestrators and Prometheus (and the floor of the api's throughput: they must stay cheap).
 */
export function isUnloggedPath(url: string): boolean {
  return url === '/metrics' || url.startsWith('/metrics?') || url === '/api/health' || url.startsWith('/api/health/') || url.startsWith('/api/health?');
}

export interface RequestLoggingOptions {
  /** Extra fields of a request's completion line, read when it finishes (e.g. the user id). */
  requestLogProps?: (req: IncomingMessage) => Record<string, unknown> | undefined;
}

/**
 * The api's request logging (decision 0022, addendum of issue 15): a request id (an incoming
 * X-Request-Id that looks like an id, else a UUID; echoed in the response), carried by every line
 * logged while the request runs (the log context, which the root logger's mixin adds), and one
 * completion line — at debug for success, info for 4xx, error for 5xx — written only when that
 * level is enabled. Nothing else per request: pino-http made two child loggers (with redaction)
 * per request whether or not a line was ever written, which had become the largest part of the
 * framework's floor (docs/performance.md). Health probes and /metrics get the id header only.
 */
export function requestLogging(logger: Logger, options: RequestLoggingOptions = {}) {
  return (req: IncomingMessage & { id?: unknown }, res: ServerResponse, next: () => void): void => {
    const given = req.headers['x-request-id'];
    const reqId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    req.id = reqId;
    res.setHeader('X-Request-Id', reqId);
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
    if (isUnloggedPath(url)) return next();
    const started = Date.now();
    let done = false;
    const complete = () => {
      if (done) return;
      done = true;
      res.off('finish', complete);
      res.off('close', complete);
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      // The path only: a query string may carry an OIDC code or state.
      const line = { reqId, req: { method: req.method, path: url.split('?')[0] }, res: { statusCode: status }, responseTime: Date.now() - started, ...options.requestLogProps?.(req) };
      logger[level](line, status >= 500 ? 'request errored' : 'request completed');
    };
    res.on('finish', complete);
    res.on('close', complete);
    withLogContext({ reqId }, next);
  };
}
