/**
 * Authenticated GETs against the Partner Center API with the documented headers; retries and the
 * token refresh on 401 are authorized-request.ts. Returns the parsed JSON body (decimal keys kept exact).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PartnerCenterError } from './errors';
import { exchange, RETRYABLE_STATUSES, safeUrl } from './http';
import { parseExactJson } from './exact-json';
import type { LogFn } from './log';
import type { Redactor } from './redact';
import type { RateLimiter } from './rate-limiter';
import { parseRetryAfter, type RetryPolicy } from './retry';
import { sendAuthorized } from './authorized-request';
import type { TokenCache } from './token-cache';

export const APPLICATION_NAME = 'Meridian';

/** Headers a continuation link must never override. */
const PROTECTED_HEADERS = new Set(['authorization', 'host', 'content-length', 'ms-requestid', 'ms-correlationid', 'accept']);

/** Documented error body `{code, description, data, source}`; throttling answers `{statusCode, message}`. */
const errorBodySchema = z.object({
  code: z.union([z.number(), z.string()]).optional(),
  description: z.string().optional(),
  message: z.string().optional(),
});

export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  retry: RetryPolicy;
  tokens: TokenCache;
  /** This account's pacing; shared by every request of the client. */
  limiter: RateLimiter;
  redactor: Redactor;
  log: LogFn;
  now: () => number;
}

export interface GetJsonRequest {
  /** Absolute URL. */
  url: string;
  correlationId: string;
  /** Extra headers (e.g. MS-ContinuationToken from a `links.next`). */
  headers?: Record<string, string>;
  /** Keys whose JSON numbers must be kept as exact decimal strings (see exact-json.ts). */
  decimalKeys?: readonly string[];
  /** Rewrites the body text before parsing (exact decimals under keys not known in advance). */
  rewrite?: (text: string) => string;
}

export interface JsonResponse {
  body: unknown;
  requestId: string;
  correlationId: string;
}

export class PartnerCenterTransport {
  constructor(private readonly opts: TransportOptions) {}

  async getJson(req: GetJsonRequest): Promise<JsonResponse> {
    const { opts } = this;
    // One MS-RequestId per logical request, reused on every retry of it.
    const requestId = randomUUID();
    const body = await sendAuthorized(
      { tokens: opts.tokens, retry: opts.retry, log: opts.log, logName: 'partner-center', now: opts.now },
      { requestId, correlationId: req.correlationId, method: 'GET', url: safeUrl(req.url) },
      (token, attempt) => this.once(req, token, requestId, attempt),
    );
    return { body, requestId, correlationId: req.correlationId };
  }

  /** One attempt. Throws PartnerCenterError (retryable or not) on any failure. */
  private async once(req: GetJsonRequest, token: string, requestId: string, attempt: number): Promise<unknown> {
    const { opts } = this;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers ?? {})) {
      if (!PROTECTED_HEADERS.has(key.toLowerCase())) headers[key] = value;
    }
    Object.assign(headers, {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'MS-RequestId': requestId,
      'MS-CorrelationId': req.correlationId,
      'MS-PartnerCenter-Application': APPLICATION_NAME,
    });
    await opts.limiter.acquire(attempt > 0);
    const res = await exchange(req.url, { method: 'GET', headers }, { fetch: opts.fetch, timeoutMs: opts.timeoutMs, redactor: opts.redactor, requestId, correlationId: req.correlationId });
    const base = { requestId, correlationId: req.correlationId, method: 'GET', url: safeUrl(req.url) } as const;

    if (res.status < 200 || res.status >= 300) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), opts.now);
      if (res.status === 429 && retryAfterMs !== undefined) opts.limiter.pauseFor(retryAfterMs);
      const parsed = errorBodySchema.safeParse(tryJson(res.text));
      const description = parsed.success ? (parsed.data.description ?? parsed.data.message) : undefined;
      throw new PartnerCenterError({
        ...base,
        kind: 'http',
        status: res.status,
        code: parsed.success ? parsed.data.code : undefined,
        description: description !== undefined ? opts.redactor.text(description) : undefined,
        retryable: RETRYABLE_STATUSES.has(res.status),
        retryAfterMs,
      });
    }
    try {
      return parseExactJson(req.rewrite ? req.rewrite(res.text) : res.text, req.decimalKeys ?? []);
    } catch {
      // Truncated/garbled body (e.g. connection cut by a proxy): transient, retry.
      throw new PartnerCenterError({
        ...base,
        kind: 'invalid-body',
        status: res.status,
        description: `response body is not valid JSON (${res.text.length} chars, attempt ${attempt + 1})`,
        retryable: true,
      });
    }
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
