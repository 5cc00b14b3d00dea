/**
 * Contract test: every endpoint of spec/partner-center-surface.json (derived from the reference,
 * partner-center-api.md) is called on a running simulator; envelope, paging links, objectType and
 * the documented field names are checked against the spec.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { getToken, http, tokenRequest, type Resp } from './testing/helpers';

interface EndpointSpec {
  id: string;
  method: 'GET' | 'PATCH';
  path: string;
  query: string;
  auth: ('app' | 'user')[];
  envelope: 'collection' | 'object';
  paging: 'none' | 'continuation' | 'offset';
  objectType: string;
  fields: string[];
  maxSize?: number;
  nested?: Record<string, string[]>;
}
interface SurfaceSpec {
  collectionEnvelope: { fields: string[]; objectType: string; linkFields: string[]; continuationHeader: string };
  errorBody: { fields: string[] };
  endpoints: EndpointSpec[];
}

const SPEC = JSON.parse(readFileSync(join(__dirname, '..', 'spec', 'partner-center-surface.json'), 'utf8')) as SurfaceSpec;

describe('contract: the simulator serves the documented surface', () => {
  let sim: RunningSimulator;
  let a: AccountInfo;
  let appToken: string;
  let userToken: string;
  const vars: Record<string, string> = {};

  const call = (method: string, path: string, token: string, headers: Record<string, string> = {}, body?: string): Promise<Resp> =>
    http(`${a.baseUrl}${path}`, { method, headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers }, body });

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: new Date('2026-11-25T12:00:00Z') });
    a = ((await http(`${sim.url}/_sim/accounts`)).json.items as AccountInfo[]).find((x) => x.id === 'global-us')!;
    appToken = await getToken(a);
    const rt = (await http(`${sim.url}/_sim/accounts/${a.id}/refresh-token`, { method: 'POST' })).json.refresh_token;
    userToken = (await tokenRequest(a.tokenUrl, { grant_type: 'refresh_token', client_id: a.appId, client_secret: a.secret, refresh_token: rt, resource: a.resource })).json.access_token;
    const customers = (await call('GET', '/v1/customers', appToken)).json.items;
    for (const c of customers) {
      const subs = (await call('GET', `/v1/customers/${c.id}/subscriptions`, appToken)).json.items;
      const legacy = subs.find((s: { offerId: string }) => s.offerId === 'MS-AZR-0145P');
      if (legacy) {
        vars.customerId = c.id;
        vars.legacySubscriptionId = legacy.id;
        vars.planId = vars.subscriptionId = subs.find((s: { offerId: string }) => s.offerId.startsWith('DZH318Z0BCZC')).id;
      }
    }
    vars.invoiceId = (await call('GET', '/v1/invoices', appToken)).json.items.find((i: { documentType: string }) => i.documentType === 'Invoice').id;
    vars.roleId = (await call('GET', '/v1/roles', userToken)).json.items[0].id;
    Object.assign(vars, { currency: a.currency.toLowerCase(), period: 'previous', offset: '0', start: '2026-11-01T00:00:00Z', end: '2026-11-10T00:00:00Z', market: 'US' });
  });
  afterAll(() => sim.close());

  const fill = (s: string, size: number) => s.replace(/\{(\w+)\}/g, (_, k: string) => (k === 'size' ? String(size) : vars[k] ?? `{${k}}`));

  function checkItem(e: EndpointSpec, item: Record<string, unknown>): void {
    const missing = e.fields.filter((f) => !(f in item));
    expect({ endpoint: e.id, missing }).toEqual({ endpoint: e.id, missing: [] });
    expect({ endpoint: e.id, objectType: (item.attributes as { objectType?: string } | undefined)?.objectType }).toEqual({ endpoint: e.id, objectType: e.objectType });
    for (const [path, fields] of Object.entries(e.nested ?? {})) {
      const key = path.replace('[]', '');
      const nested = path.endsWith('[]') ? ((item[key] as Record<string, unknown>[]) ?? [])[0] : (item[key] as Record<string, unknown>);
      expect({ endpoint: e.id, path, present: nested !== undefined }).toEqual({ endpoint: e.id, path, present: true });
      expect({ endpoint: e.id, path, missing: fields.filter((f) => !(f in nested)) }).toEqual({ endpoint: e.id, path, missing: [] });
    }
  }

  it('lists every endpoint once, with a known paging style and envelope', () => {
    expect(new Set(SPEC.endpoints.map((e) => e.id)).size).toBe(SPEC.endpoints.length);
    for (const e of SPEC.endpoints) {
      expect(['none', 'continuation', 'offset']).toContain(e.paging);
      expect(['collection', 'object']).toContain(e.envelope);
      expect(e.fields.length).toBeGreaterThan(0);
    }
  });

  it.each(SPEC.endpoints.map((e) => [e.id, e] as const))('%s', async (_id, e) => {
    const size = e.paging === 'none' ? 0 : 2;
    const path = fill(e.path, size) + (e.query ? `?${fill(e.query, size)}` : '');
    expect(path).not.toMatch(/\{\w+\}/);
    const body = e.method === 'PATCH' ? JSON.stringify({ amount: 1234 }) : undefined;
    if (!e.auth.includes('app')) {
      const denied = await call(e.method, path, appToken, {}, body);
      expect({ endpoint: e.id, status: denied.status }).toEqual({ endpoint: e.id, status: 403 });
      expect(Object.keys(denied.json).sort()).toEqual([...SPEC.errorBody.fields].sort());
    }
    const token = e.auth.includes('app') ? appToken : userToken;
    const r = await call(e.method, path, token, {}, body);
    expect({ endpoint: e.id, status: r.status }).toEqual({ endpoint: e.id, status: 200 });
    expect(r.headers.get('ms-requestid')).toBeTruthy();
    if (e.envelope === 'object') return checkItem(e, r.json);

    for (const f of SPEC.collectionEnvelope.fields) expect({ endpoint: e.id, field: f, present: f in r.json }).toEqual({ endpoint: e.id, field: f, present: true });
    expect(r.json.attributes.objectType).toBe(SPEC.collectionEnvelope.objectType);
    expect(Object.keys(r.json.links.self).sort()).toEqual([...SPEC.collectionEnvelope.linkFields].sort());
    expect(r.json.items.length).toBeGreaterThan(0);
    for (const item of r.json.items) checkItem(e, item);
    if (e.paging === 'continuation') {
      expect(r.json.items.length).toBeLessThanOrEqual(size);
      const next = r.json.links.next;
      expect(next).toBeDefined();
      expect(next.uri).toMatch(/seekOperation=Next/);
      const tokenHeader = next.headers.find((h: { key: string }) => h.key === SPEC.collectionEnvelope.continuationHeader);
      expect(tokenHeader?.value).toBeTruthy();
      const r2 = await call('GET', `/v1${next.uri}`, token, { [tokenHeader.key]: tokenHeader.value });
      expect(r2.status).toBe(200);
      for (const item of r2.json.items) checkItem(e, item);
      expect(JSON.stringify(r2.json.items[0])).not.toBe(JSON.stringify(r.json.items[0]));
      if (e.maxSize) expect((await call('GET', fill(e.path, 0) + `?${fill(e.query, e.maxSize + 1)}`, token)).status).toBe(400);
    }
    if (e.paging === 'offset') {
      expect(r.json.links.next).toBeUndefined();
      expect(r.json.totalCount).toBeGreaterThanOrEqual(r.json.items.length);
    }
  });

  it('answers errors with the documented error body', async () => {
    for (const [path, status] of [
      ['/v1/customers/00000000-0000-0000-0000-000000000000', 404],
      ['/v1/invoices/G000000000', 404],
      ['/v1/invoices/unbilled/lineitems?provider=onetime', 400],
    ] as const) {
      const r = await call('GET', path, appToken);
      expect(r.status).toBe(status);
      expect(Object.keys(r.json).sort()).toEqual([...SPEC.errorBody.fields].sort());
    }
    const r = await http(`${a.baseUrl}/v1/customers`);
    expect(r.status).toBe(401);
    expect(Object.keys(r.json).sort()).toEqual([...SPEC.errorBody.fields].sort());
  });
});
