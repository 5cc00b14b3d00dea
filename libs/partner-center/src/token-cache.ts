/**
 * App-only (client-credentials) token for one account: the Partner Center token via the v1
 * endpoint `{authority}/{tenantId}/oauth2/token` with `resource` (partner-center-api.md §1), or a
 * Microsoft Graph token via the v2 endpoint `…/oauth2/v2.0/token` with `scope` (§5.5). One cache per
 * audience: a Graph token must never be sent to Partner Center, nor the other way round.
 *
 * The token is cached until 60 s before it expires; concurrent callers share one in-flight request;
 * `invalidate(token)` drops it after the API answered 401 so the next call fetches a fresh one.
 * Every token request gets a serial number (in the order they start), so a caller can tell whether
 * a token was requested after some moment (see authorized-request.ts).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PartnerCenterError } from './errors';
import { exchange, RETRYABLE_STATUSES } from './http';
import type { LogFn } from './log';
import type { Redactor } from './redact';
import { parseRetryAfter, withRetries, type RetryPolicy } from './retry';

/** Refresh this long before the token's stated expiry. */
export const TOKEN_EXPIRY_MARGIN_MS = 60_000;

export interface TokenCacheOptions {
  tokenUrl: string;
  /** v1 endpoint: the token `resource`. Exactly one of resource and scope. */
  resource?: string;
  /** v2 endpoint: the token `scope` (e.g. `https://graph.microsoft.com/.default`). */
  scope?: string;
  /** Prefix of log messages. Default `partner-center`. */
  logName?: string;
  appId: string;
  secret: string;
  fetch: typeof fetch;
  timeoutMs: number;
  retry: RetryPolicy;
  redactor: Redactor;
  log: LogFn;
  now: () => number;
}

/** v1 sends `expires_in` as a string ("3599"); v2 as a number. */
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number).optional(),
});

const tokenErrorSchema = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
});

/** A token and the serial number of the token request that got it (1 for the first). */
export interface IssuedToken {
  accessToken: string;
  serial: number;
}

interface CachedToken extends IssuedToken {
  /** Epoch ms after which the token must not be used any more (expiry minus margin). */
  refreshAt: number;
}

export class TokenCache {
  private cached?: CachedToken;
  private inFlight?: Promise<IssuedToken>;
  private requestsStarted = 0;

  constructor(private readonly opts: TokenCacheOptions) {
    if ((opts.resource === undefined) === (opts.scope === undefined)) throw new TypeError('TokenCache: give exactly one of resource (v1) and scope (v2)');
    opts.redactor.add(opts.secret);
  }

  /** A valid access token, fetched only when none is cached or it is about to expire. */
  async getToken(): Promise<string> {
    return (await this.getIssuedToken()).accessToken;
  }

  /** As getToken, with the serial of the token request that got it. */
  async getIssuedToken(): Promise<IssuedToken> {
    const cached = this.cached;
    if (cached && this.opts.now() < cached.refreshAt) return cached;
    if (!this.inFlight) {
      this.inFlight = this.fetchToken(++this.requestsStarted).finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  /** How many token requests have started so far: a token with a higher serial was requested later. */
  get tokenRequestsStarted(): number {
    return this.requestsStarted;
  }

  /** Forget `token` (after a 401). A token that was already replaced is left alone. */
  invalidate(token: string): void {
    if (this.cached?.accessToken === token) this.cached = undefined;
  }

  private async fetchToken(serial: number): Promise<IssuedToken> {
    const { opts } = this;
    const requestId = randomUUID();
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: opts.appId,
      client_secret: opts.secret,
      ...(opts.scope !== undefined ? { scope: opts.scope } : { resource: opts.resource as string }),
    });
    const token = await withRetries(
      async () => {
        const started = opts.now();
        const res = await exchange(
          opts.tokenUrl,
          {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: body.toString(),
          },
          { fetch: opts.fetch, timeoutMs: opts.timeoutMs, redactor: opts.redactor, requestId },
        );
        const base = { requestId, method: 'POST', url: opts.tokenUrl } as const;
        if (res.status < 200 || res.status >= 300) {
          const parsed = tokenErrorSchema.safeParse(safeJson(res.text));
          const retryable = RETRYABLE_STATUSES.has(res.status);
          throw new PartnerCenterError({
            ...base,
            kind: retryable ? 'http' : 'auth',
            status: res.status,
            code: parsed.success ? parsed.data.error : undefined,
            // AAD descriptions name the problem (e.g. AADSTS7000215 invalid secret), never the secret itself; redact anyway.
            description: parsed.success && parsed.data.error_description ? opts.redactor.text(parsed.data.error_description) : undefined,
            retryable,
            retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), opts.now),
          });
        }
        const json = safeJson(res.text);
        if (json === undefined) {
          // Do not quote the parser message: it may contain a fragment of the token.
          throw new PartnerCenterError({ ...base, kind: 'invalid-body', status: res.status, description: 'token response is not valid JSON', retryable: true });
        }
        const parsed = tokenResponseSchema.safeParse(json);
        if (!parsed.success) {
          throw new PartnerCenterError({ ...base, kind: 'auth', status: res.status, description: 'token response lacks access_token/expires_in', retryable: false });
        }
        return { ...parsed.data, started };
      },
      opts.retry,
      {
        onRetry: (err, retry, delayMs) =>
          opts.log({ level: 'warn', msg: `${opts.logName ?? 'partner-center'} token request failed, retrying`, requestId, status: err.status, kind: err.kind, retry: retry + 1, delayMs }),
      },
    ).catch((err: unknown) => {
      // Retries are spent here; the API call that needed the token must not retry this again.
      if (err instanceof PartnerCenterError && err.retryable) {
        const final = new PartnerCenterError({ ...err, retryable: false }, err.message);
        final.attempts = err.attempts;
        throw final;
      }
      throw err;
    });
    opts.redactor.add(token.access_token);
    const lifetimeMs = (token.expires_in ?? 0) * 1000;
    // Measured from when the request was sent, so a slow answer cannot make us overestimate it.
    const issued = { accessToken: token.access_token, serial, refreshAt: token.started + lifetimeMs - TOKEN_EXPIRY_MARGIN_MS };
    this.cached = issued;
    opts.log({ level: 'debug', msg: `${opts.logName ?? 'partner-center'} token acquired`, requestId, expiresInSeconds: token.expires_in });
    return issued;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
