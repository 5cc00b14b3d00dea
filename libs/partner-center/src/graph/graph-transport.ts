/**
 * Authenticated requests to Microsoft Graph with the account's Graph token, sharing the account's
 * rate limiter and retry policy with the Partner Center transport (authorized-request.ts: 429/5xx
 * retried, Retry-After honoured — and it pauses every request of the account —, 401 refreshes the
 * token); a 403 is the missing PartnerBilling.Read.All permission, believed after one fresh token.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PartnerCenterError } from '../errors';
import { exchange, RETRYABLE_STATUSES, safeUrl } from '../http';
import type { LogFn } from '../log';
import type { RateLimiter } from '../rate-limiter';
import type { Redactor } from '../redact';
import { parseRetryAfter, type RetryPolicy } from '../retry';
import { sendAuthorized } from '../authorized-request';
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
    return sendAuthorized(
      { tokens: opts.tokens, retry: opts.retry, log: opts.log, logName: 'graph', now: opts.now, refreshOnPermissionError: true },
      { requestId, correlationId: req.correlationId, method: req.method, url: safeUrl(req.url) },
      (token, attempt) => this.once(req, token, requestId, attempt),
    );
  }

  private async once(req: GraphRequest, token: string, requestId: string, attempt: number): Promise<GraphResponse> {
    const { opts } = this;
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
