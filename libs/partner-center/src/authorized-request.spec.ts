/**
 * sendAuthorized (the retry and token-refresh rule of both transports) against a real HTTP server
 * on 127.0.0.1: a token endpoint that counts its requests and an API that checks the bearer token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendAuthorized, type AuthorizedRequestOptions } from './authorized-request';
import { PartnerCenterError } from './errors';
import { exchange, RETRYABLE_STATUSES } from './http';
import type { LogEvent } from './log';
import { Redactor } from './redact';
import { parseRetryAfter } from './retry';
import { TokenCache } from './token-cache';

/** One answer of the API: a status (with headers), or 200 when the token is accepted. */
type ApiAnswer = { status: number; headers?: Record<string, string> } | 'check-token';

class TokenCheckingServer {
  tokenRequests = 0;
  /** Tokens the API accepts (a token is valid from issuance until revoked). */
  readonly validTokens = new Set<string>();
  /** Scripted answers, in order, before the token check; when empty every request is checked. */
  readonly script: ApiAnswer[] = [];
  /** Answer 403 (Graph's missing permission) to a valid token issued before this serial. */
  permissionFromToken = 1;
  /** Hold API requests until this many are waiting, then answer them all (a concurrency barrier). */
  holdUntil = 0;
  readonly apiAuthorizations: string[] = [];
  private held: Array<() => void> = [];
  private server?: Server;
  origin = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  revokeAll(): void {
    this.validTokens.clear();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('/oauth2/v2.0/token')) {
        const token = `token-${++this.tokenRequests}`;
        this.validTokens.add(token);
        // A slow token endpoint widens the window in which concurrent 401s arrive.
        setTimeout(() => json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3599 }), 20);
        return;
      }
      const authorization = req.headers.authorization ?? '';
      this.apiAuthorizations.push(authorization);
      const answer = () => {
        const scripted = this.script.shift() ?? 'check-token';
        if (scripted !== 'check-token') return json(res, scripted.status, { error: { code: String(scripted.status) } }, scripted.headers);
        const token = authorization.replace(/^Bearer /, '');
        if (!this.validTokens.has(token)) return json(res, 401, { error: { code: 'InvalidAuthenticationToken' } });
        if (Number(token.replace('token-', '')) < this.permissionFromToken) return json(res, 403, { error: { code: 'Forbidden' } });
        return json(res, 200, { ok: true });
      };
      if (this.held.length + 1 < this.holdUntil) {
        this.held.push(answer);
        return;
      }
      this.holdUntil = 0;
      for (const release of this.held.splice(0)) release();
      answer();
    });
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('sendAuthorized (retries and token refresh, against a local HTTP server)', () => {
  let server: TokenCheckingServer;
  let waits: number[];
  let logs: LogEvent[];
  let tokens: TokenCache;
  const redactor = new Redactor();

  beforeEach(async () => {
    server = await new TokenCheckingServer().start();
    waits = [];
    logs = [];
    tokens = new TokenCache({
      tokenUrl: `${server.origin}/tenant-1/oauth2/v2.0/token`,
      scope: 'https://graph.microsoft.com/.default',
      appId: 'app-1',
      secret: 'secret-value-never-logged',
      fetch,
      timeoutMs: 2000,
      retry: policy(),
      redactor,
      log: () => undefined,
      now: Date.now,
    });
  });
  afterEach(() => server.stop());

  function policy(maxRetries = 3) {
    return { maxRetries, retryBaseMs: 100, sleep: async (ms: number) => void waits.push(ms), random: () => 0.5 };
  }

  function options(overrides: Partial<AuthorizedRequestOptions> = {}): AuthorizedRequestOptions {
    return { tokens, retry: policy(), log: (e) => logs.push(e), logName: 'test', now: Date.now, ...overrides };
  }

  /** One GET as the transports make it: any non-2xx becomes a PartnerCenterError. */
  function get(opts: AuthorizedRequestOptions = options()): Promise<unknown> {
    const url = `${server.origin}/resource`;
    const context = { requestId: 'r-1', correlationId: 'c-1', method: 'GET', url };
    return sendAuthorized(opts, context, async (token) => {
      const res = await exchange(url, { method: 'GET', headers: { Authorization: `Bearer ${token}` } }, { fetch, timeoutMs: 2000, redactor, requestId: 'r-1' });
      if (res.status === 200) return JSON.parse(res.text);
      const base = { requestId: 'r-1', method: 'GET', url, status: res.status };
      if (res.status === 403) throw new PartnerCenterError({ ...base, kind: 'permission', retryable: false });
      throw new PartnerCenterError({ ...base, kind: 'http', retryable: RETRYABLE_STATUSES.has(res.status), retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) });
    });
  }

  async function failure(promise: Promise<unknown>): Promise<PartnerCenterError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PartnerCenterError);
    return err as PartnerCenterError;
  }

  it.each([
    { name: 'a 200 at once', script: [], ok: true, apiRequests: 1, tokenRequests: 1, waits: [] },
    { name: 'a 503 then 200: one backoff', script: [{ status: 503 }], ok: true, apiRequests: 2, tokenRequests: 1, waits: [50] },
    { name: 'a 429 with Retry-After 3: waits 3 s', script: [{ status: 429, headers: { 'Retry-After': '3' } }], ok: true, apiRequests: 2, tokenRequests: 1, waits: [3000] },
    { name: '502, 504, 500 then 200: growing backoff', script: [{ status: 502 }, { status: 504 }, { status: 500 }], ok: true, apiRequests: 4, tokenRequests: 1, waits: [50, 100, 200] },
    { name: '503 four times: retries spent', script: Array.from({ length: 4 }, () => ({ status: 503 })), ok: false, status: 503, apiRequests: 4, tokenRequests: 1, waits: [50, 100, 200] },
    { name: 'a 400: not retried', script: [{ status: 400 }], ok: false, status: 400, apiRequests: 1, tokenRequests: 1, waits: [] },
  ])('$name', async (c) => {
    server.script.push(...c.script);
    if (c.ok) await expect(get()).resolves.toEqual({ ok: true });
    else expect(await failure(get())).toMatchObject({ status: c.status, attempts: c.apiRequests });
    expect(server.apiAuthorizations).toHaveLength(c.apiRequests);
    expect(server.tokenRequests).toBe(c.tokenRequests);
    expect(waits).toEqual(c.waits);
  });

  it('an expired token (401): one refresh, resent at once (not a retry), same request', async () => {
    await get();
    server.revokeAll();
    await expect(get()).resolves.toEqual({ ok: true });
    expect(server.tokenRequests).toBe(2);
    expect(server.apiAuthorizations).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
    expect(waits).toEqual([]);
    expect(logs.some((e) => e.msg === 'test 401, refreshing token and retrying')).toBe(true);
  });

  it('a fresh token rejected too (401): final after exactly one refresh', async () => {
    await get();
    server.revokeAll();
    server.script.push({ status: 401 }, { status: 401 });
    expect(await failure(get())).toMatchObject({ status: 401, kind: 'http' });
    expect(server.tokenRequests).toBe(2);
    expect(server.apiAuthorizations).toHaveLength(3);
    expect(waits).toEqual([]);
  });

  it.each([2, 4, 8])('%i in-flight requests rejected (401) with the same stale token: exactly one token request', async (concurrent) => {
    await get();
    server.revokeAll();
    server.holdUntil = concurrent; // every request holds token-1 when the server answers any of them
    const results = await Promise.all(Array.from({ length: concurrent }, () => get()));
    expect(results).toEqual(Array.from({ length: concurrent }, () => ({ ok: true })));
    expect(server.tokenRequests).toBe(2);
    expect(server.apiAuthorizations.slice(1, 1 + concurrent)).toEqual(Array.from({ length: concurrent }, () => 'Bearer token-1'));
    expect(server.apiAuthorizations.slice(1 + concurrent)).toEqual(Array.from({ length: concurrent }, () => 'Bearer token-2'));
    expect(waits).toEqual([]);
  });

  it('a replacement another request got before this rejection is stale too: this request asks once for its own', async () => {
    await get();
    server.holdUntil = 2;
    const request = get(); // holds token-1, its answer held by the server
    while (server.apiAuthorizations.length < 2) await new Promise((r) => setTimeout(r, 5));
    // Meanwhile another request of the account replaced token-1 with token-2, and then both are revoked.
    tokens.invalidate('token-1');
    await tokens.getToken();
    server.revokeAll();
    await fetch(`${server.origin}/resource`); // releases the held request (and gets its own 401)
    await expect(request).resolves.toEqual({ ok: true });
    expect(server.apiAuthorizations.filter((a) => a !== '')).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2', 'Bearer token-3']);
    expect(server.tokenRequests).toBe(3);
    expect(waits).toEqual([]);
  });

  describe('a 403 with refreshOnPermissionError (Graph): believed after one fresh token', () => {
    it('permission granted since the token was issued: the fresh token passes', async () => {
      await get();
      server.permissionFromToken = 2; // token-1 was issued before the grant
      await expect(get(options({ refreshOnPermissionError: true }))).resolves.toEqual({ ok: true });
      expect(server.tokenRequests).toBe(2);
      expect(waits).toEqual([]);
    });

    it('permission missing: the fresh token is refused too, and the 403 is final', async () => {
      server.permissionFromToken = Number.POSITIVE_INFINITY;
      expect(await failure(get(options({ refreshOnPermissionError: true })))).toMatchObject({ status: 403, kind: 'permission' });
      expect(server.tokenRequests).toBe(2);
      expect(server.apiAuthorizations).toEqual(['Bearer token-1', 'Bearer token-2']);
    });

    it('4 concurrent exports refused (403) with the same token: one token request, then believed', async () => {
      await get();
      server.permissionFromToken = Number.POSITIVE_INFINITY;
      server.holdUntil = 4;
      const errors = await Promise.all(Array.from({ length: 4 }, () => failure(get(options({ refreshOnPermissionError: true })))));
      for (const err of errors) expect(err).toMatchObject({ status: 403, kind: 'permission' });
      expect(server.tokenRequests).toBe(2);
    });

    it('without the option (Partner Center) a 403 is final at once', async () => {
      await get();
      server.permissionFromToken = Number.POSITIVE_INFINITY;
      expect(await failure(get())).toMatchObject({ status: 403 });
      expect(server.tokenRequests).toBe(1);
      expect(server.apiAuthorizations).toHaveLength(2);
    });
  });

  it('never logs the token or the secret', async () => {
    await get();
    server.revokeAll();
    server.script.push({ status: 503 });
    await get();
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain('token-1');
    expect(logged).not.toContain('token-2');
    expect(logged).not.toContain('secret-value-never-logged');
  });
});
