import { collection, customer, FakePartnerCenter, rawCollection, subscription, usageLineItemJson } from '../test/fake-partner-center';
import { PartnerCenterClient, PartnerCenterError, type LogEvent, type PartnerCenterClientOptions } from './index';

const SECRET = 'S3cr3t~value.that-must.never-leak_42';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CUSTOMER_ID = '2bb0c2b4-0000-4000-8000-000000000001';
const PLAN_ID = 'a1b2c3d4-0000-4000-8000-000000000001';
const SUBS_PATH = `/v1/customers/${CUSTOMER_ID}/subscriptions`;

describe('PartnerCenterClient (against a local HTTP fake)', () => {
  let pc: FakePartnerCenter;
  let waits: number[];
  let logs: LogEvent[];

  beforeEach(async () => {
    pc = await new FakePartnerCenter().start();
    waits = [];
    logs = [];
  });
  afterEach(() => pc.stop());

  function client(overrides: Partial<PartnerCenterClientOptions> = {}): PartnerCenterClient {
    return new PartnerCenterClient({
      baseUrl: pc.baseUrl,
      tokenUrl: pc.tokenUrl,
      resource: 'https://api.partnercenter.microsoft.com',
      appId: 'app-0000-1111',
      secret: SECRET,
      timeoutMs: 2000,
      retryBaseMs: 100,
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
      log: (e) => logs.push(e),
      ...overrides,
    });
  }

  async function collect<T>(gen: AsyncGenerator<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const page of gen) out.push(page);
    return out;
  }

  async function failure(promise: Promise<unknown>): Promise<PartnerCenterError> {
    try {
      await promise;
    } catch (err) {
      expect(err).toBeInstanceOf(PartnerCenterError);
      return err as PartnerCenterError;
    }
    throw new Error('expected a PartnerCenterError');
  }

  describe('token', () => {
    it('posts the v1 client-credentials form, caches the token and sends the documented headers', async () => {
      pc.on(SUBS_PATH, { json: collection([subscription(PLAN_ID)], SUBS_PATH) });
      const c = client();
      await c.listSubscriptions(CUSTOMER_ID);
      await c.listSubscriptions(CUSTOMER_ID);
      await c.listSubscriptions(CUSTOMER_ID, { correlationId: 'my-correlation' });

      expect(pc.tokenRequests).toHaveLength(1);
      const form = new URLSearchParams(pc.tokenRequests[0]!.body);
      expect(pc.tokenRequests[0]!.method).toBe('POST');
      expect(pc.tokenRequests[0]!.headers['content-type']).toContain('application/x-www-form-urlencoded');
      expect(Object.fromEntries(form)).toEqual({
        grant_type: 'client_credentials',
        client_id: 'app-0000-1111',
        client_secret: SECRET,
        resource: 'https://api.partnercenter.microsoft.com',
      });

      const reqs = pc.apiRequests();
      expect(reqs).toHaveLength(3);
      for (const r of reqs) {
        expect(r.headers.authorization).toBe(`Bearer ${pc.issuedTokens[0]}`);
        expect(r.headers.accept).toBe('application/json');
        expect(r.headers['ms-requestid']).toMatch(GUID);
        expect(r.headers['ms-correlationid']).toBeDefined();
        expect(r.headers['ms-partnercenter-application']).toBe('Meridian');
      }
      expect(new Set(reqs.map((r) => r.headers['ms-requestid'])).size).toBe(3);
      expect(reqs[0]!.headers['ms-correlationid']).not.toBe(reqs[1]!.headers['ms-correlationid']);
      expect(reqs[2]!.headers['ms-correlationid']).toBe('my-correlation');
    });

    it('refreshes ~60 s before expires_in (sent as a string) runs out', async () => {
      let now = 1_000_000;
      pc.tokenExpiresIn = '3599';
      pc.on(SUBS_PATH, { json: collection([], SUBS_PATH) });
      const c = client({ now: () => now });
      await c.listSubscriptions(CUSTOMER_ID);
      now += (3599 - 61) * 1000;
      await c.listSubscriptions(CUSTOMER_ID);
      expect(pc.tokenRequests).toHaveLength(1);
      now += 2000; // now 59 s before expiry
      await c.listSubscriptions(CUSTOMER_ID);
      expect(pc.tokenRequests).toHaveLength(2);
      expect(pc.apiRequests()[2]!.headers.authorization).toBe(`Bearer ${pc.issuedTokens[1]}`);
    });

    it('on a 401 refreshes the token once and retries the same request', async () => {
      pc.on(SUBS_PATH, { json: collection([subscription(PLAN_ID)], SUBS_PATH) });
      const c = client();
      await c.listSubscriptions(CUSTOMER_ID);
      pc.revokedTokens.add(pc.issuedTokens[0]!);

      const page = await c.listSubscriptions(CUSTOMER_ID);
      expect(page.items).toHaveLength(1);
      expect(pc.tokenRequests).toHaveLength(2);
      const [, rejected, retried] = pc.apiRequests();
      expect(rejected!.headers.authorization).toBe(`Bearer ${pc.issuedTokens[0]}`);
      expect(retried!.headers.authorization).toBe(`Bearer ${pc.issuedTokens[1]}`);
      expect(retried!.headers['ms-requestid']).toBe(rejected!.headers['ms-requestid']);
      expect(waits).toEqual([]);
    });

    it('gives up with a 401 PartnerCenterError when the fresh token is rejected too', async () => {
      pc.on(SUBS_PATH, { json: collection([], SUBS_PATH) });
      const c = client();
      await c.listSubscriptions(CUSTOMER_ID);
      pc.rejectAllTokens = true;
      const err = await failure(c.listSubscriptions(CUSTOMER_ID));
      expect(err).toMatchObject({ status: 401, code: 900401, kind: 'http' });
      expect(pc.tokenRequests).toHaveLength(2); // exactly one refresh
      expect(pc.apiRequests()).toHaveLength(3);
      expect(waits).toEqual([]);
    });

    it('shares one token request between concurrent calls', async () => {
      pc.on(SUBS_PATH, { json: collection([], SUBS_PATH) });
      const c = client();
      await Promise.all([c.listSubscriptions(CUSTOMER_ID), c.listSubscriptions(CUSTOMER_ID), c.listSubscriptions(CUSTOMER_ID)]);
      expect(pc.tokenRequests).toHaveLength(1);
    });

    it('retries a failing token endpoint (503) without multiplying retries', async () => {
      pc.on(SUBS_PATH, { json: collection([], SUBS_PATH) });
      pc.tokenQueue.push({ status: 503, json: { error: 'temporarily_unavailable' } });
      await client().listSubscriptions(CUSTOMER_ID);
      expect(pc.tokenRequests).toHaveLength(2);
      expect(waits).toHaveLength(1);

      pc.tokenQueue.push(...Array.from({ length: 10 }, () => ({ status: 503, json: { error: 'temporarily_unavailable' } })));
      const err = await failure(client({ maxRetries: 2 }).listSubscriptions(CUSTOMER_ID));
      expect(err.status).toBe(503);
      expect(pc.tokenRequests).toHaveLength(2 + 3); // 1 + maxRetries, not (1 + maxRetries)^2
    });

    it('reports a refused client secret without leaking it', async () => {
      pc.tokenQueue.push({
        status: 401,
        json: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] },
      });
      const err = await failure(client().listSubscriptions(CUSTOMER_ID));
      expect(err.kind).toBe('auth');
      expect(err.status).toBe(401);
      expect(err.code).toBe('invalid_client');
      expect(err.message).toContain('AADSTS7000215');
      expect(pc.apiRequests()).toHaveLength(0);
      expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain(SECRET);
    });
  });

  describe('paging', () => {
    it('follows links.next across 3 pages, sending its headers, one page at a time', async () => {
      const next = '/customers?size=2&seekOperation=Next';
      pc.on('/v1/customers', (req) => {
        const token = req.headers['ms-continuationtoken'];
        if (token === undefined) return { json: collection([customer(1), customer(2)], '/customers?size=2', { uri: next, token: 'AQAAAA==' }) };
        if (token === 'AQAAAA==') return { json: collection([customer(3), customer(4)], next, { uri: next, token: 'AgAAAA==' }) };
        if (token === 'AgAAAA==') return { json: collection([customer(5)], next) };
        return { status: 400, json: { code: 600, description: 'bad continuation token', data: [], source: 'PartnerFD' } };
      });
      const c = client();
      const gen = c.listCustomers({ pageSize: 2 });
      const first = await gen.next();
      expect(first.done).toBe(false);
      expect(pc.apiRequests()).toHaveLength(1); // nothing fetched ahead
      const rest = await collect(gen);
      const pages = [first.value!, ...rest];

      expect(pages.map((p) => p.pageNumber)).toEqual([1, 2, 3]);
      expect(pages.map((p) => p.items.map((x) => x.companyProfile.companyName))).toEqual([
        ['Customer 1', 'Customer 2'],
        ['Customer 3', 'Customer 4'],
        ['Customer 5'],
      ]);
      expect(pages.every((p) => p.invalid.length === 0)).toBe(true);

      const reqs = pc.apiRequests();
      expect(reqs.map((r) => r.url)).toEqual(['/v1/customers?size=2', `/v1${next}`, `/v1${next}`]);
      expect(reqs.map((r) => r.headers['ms-continuationtoken'])).toEqual([undefined, 'AQAAAA==', 'AgAAAA==']);
      expect(new Set(reqs.map((r) => r.headers['ms-correlationid'])).size).toBe(1);
      expect(new Set(reqs.map((r) => r.headers['ms-requestid'])).size).toBe(3);
    });

    it('validates items one by one: bad ones land in invalid with a reason, good ones are returned', async () => {
      const bad1 = { ...customer(2), companyProfile: { tenantId: 'x', domain: 42, companyName: 'Broken' } };
      const { id: _omit, ...bad2 } = customer(3);
      pc.on('/v1/customers', { json: collection([customer(1), bad1, bad2, customer(4)], '/customers?size=100') });
      const [page] = await collect(client().listCustomers());
      expect(pc.apiRequests()[0]!.url).toBe('/v1/customers?size=100');
      expect(page!.items.map((c) => c.id)).toEqual([customer(1).id, customer(4).id]);
      expect(page!.invalid).toHaveLength(2);
      expect(page!.invalid[0]!.record).toEqual(bad1);
      expect(page!.invalid[0]!.reason).toMatch(/^companyProfile\.domain: .*expected string/);
      expect(page!.invalid[1]!.reason).toMatch(/^id: /);
    });
  });

  describe('retries', () => {
    it('honours Retry-After on 429, reusing the MS-RequestId', async () => {
      pc.on(
        SUBS_PATH,
        { status: 429, headers: { 'Retry-After': '7' }, json: { statusCode: 429, message: 'Rate limit is exceeded. Try again in 7 seconds.' } },
        { json: collection([subscription(PLAN_ID)], SUBS_PATH) },
      );
      const page = await client().listSubscriptions(CUSTOMER_ID);
      expect(page.items[0]!.id).toBe(PLAN_ID);
      expect(waits).toEqual([7000]);
      const [a, b] = pc.apiRequests();
      expect(b!.headers['ms-requestid']).toBe(a!.headers['ms-requestid']);
      expect(logs.some((e) => e.level === 'warn' && e.status === 429 && e.delayMs === 7000)).toBe(true);
    });

    it('backs off exponentially with full jitter when throttling persists', async () => {
      pc.on(
        SUBS_PATH,
        { status: 429, headers: { 'Retry-After': '1' }, json: { statusCode: 429, message: 'Rate limit is exceeded.' } },
        { status: 429, headers: { 'Retry-After': '1' }, json: { statusCode: 429, message: 'Rate limit is exceeded.' } },
        { status: 429, json: { statusCode: 429, message: 'Rate limit is exceeded.' } },
        { json: collection([], SUBS_PATH) },
      );
      await client({ retryBaseMs: 1000, random: () => 0.9 }).listSubscriptions(CUSTOMER_ID);
      // retry 0: max(1000, 0.9*1000); retry 1: max(1000, 0.9*2000); retry 2: 0.9*4000
      expect(waits).toEqual([1000, 1800, 3600]);
    });

    it('retries a 503 then succeeds', async () => {
      pc.on(SUBS_PATH, { status: 503, json: { code: 503, description: 'Service unavailable', data: [], source: 'PartnerFD' } }, { json: collection([subscription(PLAN_ID)], SUBS_PATH) });
      const page = await client().listSubscriptions(CUSTOMER_ID);
      expect(page.items).toHaveLength(1);
      expect(waits).toEqual([50]); // 0.5 * retryBaseMs * 2^0
    });

    it('retries a truncated JSON body then succeeds', async () => {
      const full = JSON.stringify(collection([subscription(PLAN_ID)], SUBS_PATH));
      pc.on(SUBS_PATH, { raw: full.slice(0, 57) }, { json: JSON.parse(full) });
      const page = await client().listSubscriptions(CUSTOMER_ID);
      expect(page.items).toHaveLength(1);
      expect(waits).toHaveLength(1);
      expect(logs.some((e) => e.kind === 'invalid-body')).toBe(true);
    });

    it('retries a body cut off mid-stream (network error) then succeeds', async () => {
      const full = JSON.stringify(collection([subscription(PLAN_ID)], SUBS_PATH));
      pc.on(SUBS_PATH, { raw: full, cutAfterBytes: 40 }, { raw: full });
      const page = await client().listSubscriptions(CUSTOMER_ID);
      expect(page.items).toHaveLength(1);
      expect(waits).toHaveLength(1);
    });

    it('aborts a hanging request after timeoutMs and retries it', async () => {
      pc.on(SUBS_PATH, { hang: true }, { json: collection([subscription(PLAN_ID)], SUBS_PATH) });
      const started = Date.now();
      const page = await client({ timeoutMs: 300 }).listSubscriptions(CUSTOMER_ID);
      expect(page.items).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(logs.some((e) => e.kind === 'timeout')).toBe(true);
      const [a, b] = pc.apiRequests();
      expect(b!.headers['ms-requestid']).toBe(a!.headers['ms-requestid']);
    });

    it('gives up after maxRetries with the last error', async () => {
      pc.on(SUBS_PATH, { status: 500, json: { code: 500, description: 'boom', data: [], source: 'PartnerFD' } });
      const err = await failure(client({ maxRetries: 2 }).listSubscriptions(CUSTOMER_ID));
      expect(err.status).toBe(500);
      expect(err.attempts).toBe(3);
      expect(pc.apiRequests()).toHaveLength(3);
      expect(waits).toHaveLength(2);
    });

    it.each([
      [403, 900403, 'Forbidden: the caller lacks the required role'],
      [404, 3000, 'Customer could not be found'],
    ])('fails at once on %i with a parsed PartnerCenterError', async (status, code, description) => {
      pc.on(SUBS_PATH, { status, json: { code, description, data: [], source: 'PartnerFD' } });
      const err = await failure(client().listSubscriptions(CUSTOMER_ID));
      expect(err).toMatchObject({ status, code, description, kind: 'http', retryable: false });
      expect(err.requestId).toBe(pc.apiRequests()[0]!.headers['ms-requestid']);
      expect(err.message).toContain(String(status));
      expect(err.message).toContain(description);
      expect(pc.apiRequests()).toHaveLength(1);
      expect(waits).toEqual([]);
    });
  });

  describe('Azure entitlements', () => {
    it('lists the Azure subscriptions of a plan', async () => {
      const path = `/v1/customers/${CUSTOMER_ID}/subscriptions/${PLAN_ID}/azureEntitlements`;
      pc.on(path, {
        json: collection(
          [
            { id: 'e0e0e0e0-0000-4000-8000-000000000001', friendlyName: 'Production', status: 'active', subscriptionId: PLAN_ID },
            { id: 'e0e0e0e0-0000-4000-8000-000000000002', friendlyName: '', status: 'active' },
          ],
          path,
        ),
      });
      const page = await client().listAzureEntitlements(CUSTOMER_ID, PLAN_ID);
      expect(page.items).toEqual([{ id: 'e0e0e0e0-0000-4000-8000-000000000001', friendlyName: 'Production', status: 'active', subscriptionId: PLAN_ID }]);
      expect(page.invalid[0]!.reason).toMatch(/^subscriptionId: /);
    });
  });

  describe('unbilled daily rated usage', () => {
    const PATH = '/v1/invoices/unbilled/lineitems';

    it('pages with the documented query and keeps 20-decimal amounts exact', async () => {
      const exact = '1234.56789012345678901234';
      pc.on(PATH, (req) =>
        req.headers['ms-continuationtoken'] === undefined
          ? {
              raw: rawCollection(
                [usageLineItemJson({ billingPreTaxTotal: exact, unitPrice: '0.09600000000000000001', quantity: '2.4E+1', rateOfCredit: '-0' })],
                { uri: `${req.url.slice(3)}&seekOperation=Next`, token: 'tok-2' },
              ),
            }
          : { raw: rawCollection([usageLineItemJson({}, ['unitPrice']), usageLineItemJson({ quantity: '"abc"' }), usageLineItemJson()]) },
      );
      const pages = await collect(client().unbilledUsage({ currency: 'EUR', period: 'current' }));

      const first = pc.apiRequests()[0]!;
      expect(Object.fromEntries(first.query)).toEqual({
        provider: 'onetime',
        invoicelineitemtype: 'usagelineitems',
        currencycode: 'eur',
        period: 'current',
        size: '2000',
      });
      expect(pc.apiRequests()[1]!.query.get('seekOperation')).toBe('Next');
      expect(pc.apiRequests()[1]!.headers['ms-continuationtoken']).toBe('tok-2');

      const item = pages[0]!.items[0]!;
      expect(item.billingPreTaxTotal).toBe(exact);
      expect(item.unitPrice).toBe('0.09600000000000000001');
      expect(item.quantity).toBe('24');
      expect(item.rateOfCredit).toBe('0');
      expect(item.pcToBCExchangeRate).toBe('0.8854');
      expect(item.tags).toBe('{"env":"prod","unitPrice":1.5}');
      expect(item.invoiceNumber).toBe('');
      expect(typeof item.effectiveUnitPrice).toBe('string');

      expect(pages[1]!.pageNumber).toBe(2);
      expect(pages[1]!.items).toHaveLength(1);
      expect(pages[1]!.invalid.map((i) => i.reason)).toEqual([
        expect.stringMatching(/^unitPrice: required decimal is missing/),
        expect.stringMatching(/^quantity: expected a decimal number/),
      ]);
    });

    it('rejects a page size above 2000 before any request', async () => {
      await expect(collect(client().unbilledUsage({ currency: 'usd', period: 'previous', pageSize: 2001 }))).rejects.toThrow(RangeError);
      expect(pc.tokenRequests).toHaveLength(0);
    });
  });

  it('never puts the secret or a token into errors or log events', async () => {
    pc.on(SUBS_PATH, { status: 503, json: { code: 503, description: 'busy', data: [], source: 'PartnerFD' } }, { status: 403, json: { code: 900403, description: 'Forbidden', data: [], source: 'PartnerFD' } });
    const c = client();
    const errors: unknown[] = [];
    errors.push(await failure(c.listSubscriptions(CUSTOMER_ID)));
    pc.tokenQueue.push({ status: 400, json: { error: 'invalid_request', error_description: `AADSTS900144: bad request ${SECRET}` } });
    pc.revokedTokens.add(pc.issuedTokens[0]!);
    errors.push(await failure(c.listSubscriptions(CUSTOMER_ID)));
    errors.push(await failure(client({ tokenUrl: 'http://127.0.0.1:1/tenant/oauth2/token', maxRetries: 1 }).listSubscriptions(CUSTOMER_ID)));

    expect(logs.length).toBeGreaterThan(3);
    const everything = JSON.stringify(logs) + errors.map((e) => JSON.stringify({ ...(e as object) }) + String((e as Error).message) + String((e as Error).stack)).join('\n');
    expect(everything).not.toContain(SECRET);
    for (const token of pc.issuedTokens) expect(everything).not.toContain(token);
    expect(everything).toContain('[redacted]'); // the echoed secret was scrubbed
  });
});
