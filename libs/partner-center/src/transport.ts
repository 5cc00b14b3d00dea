/**
 * Authenticated GETs against the Partner Center API with the documented headers, retries and
 * one token refresh on 401. Returns the parsed JSON body (decimal keys kept exact).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PartnerCenterError } from './errors';
import { exchange, RETRYABLE_STATUSES, safeUrl } from './http';
import { parseExactJson } from './exact-json';
import type { LogFn } from './log';
import type { Redactor } from './redact';
import type { RateLimiter } from './rate-limiter';
import { parseRetryAfter, withRetries, type RetryPolicy } from './retry';
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
    const url = safeUrl(req.url);
    const started = opts.now();

    const body = await withRetries(
      async (attempt) => {
        try {
          return await this.once(req, requestId, attempt);
        } catch (err) {
          // Expired token: refresh and resend at once (not counted as a retry). A second 401 with a
          // token fetched for this very request is final; with an older one (another request of
          // this account refreshed earlier, under concurrency) it goes back to the retry loop.
          if (err instanceof PartnerCenterError && err.kind === 'http' && err.status === 401 && err.url === url) {
            opts.log({ level: 'info', msg: 'partner-center 401, refreshing token and retrying', requestId, correlationId: req.correlationId, url });
            const refreshFrom = opts.now();
            try {
              return await this.once(req, requestId, attempt);
            } catch (again) {
              if (again instanceof PartnerCenterError && again.kind === 'http' && again.status === 401 && !opts.tokens.fetchedSince(refreshFrom)) {
                const { kind, status, code, description, requestId: rid, correlationId, method, url: failedUrl } = again;
                throw new PartnerCenterError({ kind, status, code, description, requestId: rid, correlationId, method, url: failedUrl, retryable: true });
              }
              throw again;
            }
          }
          throw err;
        }
      },
      opts.retry,
      {
        onRetry: (err, retry, delayMs) =>
          opts.log({
            level: 'warn',
            msg: 'partner-center request failed, retrying',
            requestId,
            correlationId: req.correlationId,
            url,
            status: err.status,
            kind: err.kind,
            code: err.code,
            retry: retry + 1,
            delayMs,
          }),
      },
    ).catch((err: unknown) => {
      if (err instanceof PartnerCenterError) {
        opts.log({ level: 'error', msg: 'partner-center request failed', requestId, correlationId: req.correlationId, url, status: err.status, kind: err.kind, code: err.code, attempts: err.attempts });
      }
      throw err;
    });
    opts.log({ level: 'debug', msg: 'partner-center request ok', requestId, correlationId: req.correlationId, url, durationMs: opts.now() - started });
    return { body, requestId, correlationId: req.correlationId };
  }

  /** One attempt. Throws PartnerCenterError (retryable or not) on any failure. */
  private async once(req: GetJsonRequest, requestId: string, attempt: number): Promise<unknown> {
    const { opts } = this;
    const token = await opts.tokens.getToken();
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
      if (res.status === 401) opts.tokens.invalidate(token);
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
