/**
 * Authenticated requests to Microsoft Graph with the account's Graph token, sharing the account's
 * rate limiter and retry policy with the Partner Center transport: 429/5xx retried (Retry-After
 * honoured, and it pauses every request of the account), 401 refreshes the token once, 403 is the
 * missing PartnerBilling.Read.All permission.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PartnerCenterError } from '../errors';
import { exchange, RETRYABLE_STATUSES, safeUrl } from '../http';
import type { LogFn } from '../log';
import type { RateLimiter } from '../rate-limiter';
import type { Redactor } from '../redact';
import { parseRetryAfter, withRetries, type RetryPolicy } from '../retry';
import type { TokenCache } from '../token-cache';
import { permissionError } from './permission';

/** Graph's error body `{"error": {"code": "Forbidden", "message": "…"}}`. */
const graphErrorSchema = z.object({
  error: z.object({ code: z.union([z.string(), z.number()]).optional(), message: z.string().optional() }),
});

export interface GraphTransportOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  retry: RetryPolicy;
  /** The account's Graph token (never the Partner Center one). */
  tokens: TokenCache;
  limiter: RateLimiter;
  redactor: Redactor;
  log: LogFn;
  now: () => number;
  appId: string;
  tenantId: string;
}

export interface GraphRequest {
  method: 'GET' | 'POST';
  url: string;
  correlationId: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Answer a 404 instead of throwing (an operation that no longer exists is an answer). */
  allow404?: boolean;
}

export interface GraphResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
  requestId: string;
}

export class GraphTransport {
  constructor(private readonly opts: GraphTransportOptions) {}

  async request(req: GraphRequest): Promise<GraphResponse> {
    const { opts } = this;
    // One client-request-id per logical request, reused on its retries (Graph's MS-RequestId).
    const requestId = randomUUID();
    const url = safeUrl(req.url);
    const started = opts.now();
    const res = await withRetries(
      async (attempt) => {
        try {
          return await this.once(req, requestId, attempt);
        } catch (err) {
          const expired = err instanceof PartnerCenterError && err.kind === 'http' && err.status === 401;
          // A token carries the app's roles as they were when it was issued: a permission granted
          // since then shows only in a new token, so a 403 is believed after one fresh token.
          const forbidden = err instanceof PartnerCenterError && err.kind === 'permission';
          if (!expired && !forbidden) throw err;
          // Expired or revoked Graph token: refresh and resend once, not counted as a retry.
          opts.log({ level: 'info', msg: `graph ${expired ? 401 : 403}, refreshing token and retrying`, requestId, correlationId: req.correlationId, url });
          return await this.once(req, requestId, attempt);
        }
      },
      opts.retry,
      {
        onRetry: (err, retry, delayMs) =>
          opts.log({ level: 'warn', msg: 'graph request failed, retrying', requestId, correlationId: req.correlationId, method: req.method, url, status: err.status, kind: err.kind, code: err.code, retry: retry + 1, delayMs }),
      },
    ).catch((err: unknown) => {
      if (err instanceof PartnerCenterError) {
        opts.log({ level: 'error', msg: 'graph request failed', requestId, correlationId: req.correlationId, method: req.method, url, status: err.status, kind: err.kind, code: err.code, attempts: err.attempts });
      }
      throw err;
    });
    opts.log({ level: 'debug', msg: 'graph request ok', requestId, correlationId: req.correlationId, method: req.method, url, status: res.status, durationMs: opts.now() - started });
    return res;
  }

  private async once(req: GraphRequest, requestId: string, attempt: number): Promise<GraphResponse> {
    const { opts } = this;
    const token = await opts.tokens.getToken();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'client-request-id': requestId,
    };
    if (req.json !== undefined) headers['Content-Type'] = 'application/json';
    await opts.limiter.acquire(attempt > 0);
    const res = await exchange(
      req.url,
      { method: req.method, headers, ...(req.json !== undefined ? { body: JSON.stringify(req.json) } : {}) },
      { fetch: opts.fetch, timeoutMs: opts.timeoutMs, redactor: opts.redactor, requestId, correlationId: req.correlationId },
    );
    const base = { requestId, correlationId: req.correlationId, method: req.method, url: safeUrl(req.url) } as const;
    const ok = (res.status >= 200 && res.status < 300) || (res.status === 404 && req.allow404 === true);
    if (!ok) {
      if (res.status === 401 || res.status === 403) opts.tokens.invalidate(token);
      const parsed = graphErrorSchema.safeParse(tryJson(res.text));
      const code = parsed.success ? parsed.data.error.code : undefined;
      const message = parsed.success && parsed.data.error.message ? opts.redactor.text(parsed.data.error.message) : undefined;
      if (res.status === 403) throw permissionError({ ...base, appId: opts.appId, tenantId: opts.tenantId, graphCode: code, graphMessage: message });
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), opts.now);
      if (res.status === 429 && retryAfterMs !== undefined) opts.limiter.pauseFor(retryAfterMs);
      throw new PartnerCenterError({ ...base, kind: 'http', status: res.status, code, description: message, retryable: RETRYABLE_STATUSES.has(res.status), retryAfterMs });
    }
    if (res.text.trim() === '') return { status: res.status, headers: res.headers, body: undefined, requestId };
    const body = tryJson(res.text);
    if (body === undefined) {
      // Truncated/garbled body (a proxy cut the connection): transient, retry.
      throw new PartnerCenterError({ ...base, kind: 'invalid-body', status: res.status, description: `response body is not valid JSON (${res.text.length} chars, attempt ${attempt + 1})`, retryable: true });
    }
    return { status: res.status, headers: res.headers, body, requestId };
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
