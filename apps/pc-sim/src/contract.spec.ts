/**
 * Contract test: every endpoint of spec/partner-center-surface.json (derived from the reference,
 * partner-center-api.md) is called on a running simulator; envelope, paging links, objectType and
 * the documented field names are checked against the spec.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
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
    sim = await startSimulator({ port: 0, retireV1: false, seed: 42, now: new Date('2026-11-25T12:00:00Z') });
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

interface GraphExportSpec {
  id: string;
  path: string;
  body: Record<string, string>;
  lines: 'usageFull' | 'usageBasic' | 'reconciliation';
}
interface GraphSpec {
  token: { scope: string; aud: string; roles: string[] };
  errorBody: { fields: string[]; errorFields: string[] };
  forbidden: { status: number; code: string; messageContains: string };
  exports: GraphExportSpec[];
  startExport: { status: number; body: string };
  operation: { path: string; fields: string[]; states: string[]; odataTypes: Record<string, string>; pendingHeader: string; succeeded: { inline: string; link: string } };
  manifest: { fields: string[]; blobFields: string[]; dataFormat: string };
  lineFields: Record<string, string[]>;
}
interface BlobSpec {
  sasFields: string[];
  sas: { sr: string; sp: string; ttlSeconds: number };
  contentType: string;
  headers: string[];
  gzipMagic: string;
  errors: Record<string, { status: number; code: string }>;
}

describe('contract: the Graph billing export and its blob storage', () => {
  const G = (SPEC as unknown as { graph: GraphSpec }).graph;
  const B = (SPEC as unknown as { blobStorage: BlobSpec }).blobStorage;
  const NOW = new Date('2026-11-25T12:00:00Z');
  let sim: RunningSimulator;
  let a: AccountInfo;
  let token: string;
  const vars: Record<string, string> = {};
  const post = (path: string, body: unknown, t = token) => http(`${a.graphBaseUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const get = (url: string, t = token) => http(url, { headers: { Authorization: `Bearer ${t}` } });
  const fillBody = (b: Record<string, string>) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.replace(/\{(\w+)\}/g, (_, x: string) => vars[x])]));

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, retireV1: false, seed: 42, now: NOW, graphDelaySeconds: 0 });
    a = ((await http(`${sim.url}/_sim/accounts`)).json.items as AccountInfo[]).find((x) => x.id === 'global-us')!;
    const r = await tokenRequest(a.graphTokenUrl!, { grant_type: 'client_credentials', client_id: a.appId, client_secret: a.secret, scope: G.token.scope });
    token = r.json.access_token;
    const pc = await getToken(a);
    vars.invoiceId = (await http(`${a.baseUrl}/v1/invoices`, { headers: { Authorization: `Bearer ${pc}` } })).json.items.find((i: { documentType: string }) => i.documentType === 'Invoice').id;
    vars.currency = a.currency;
  });
  afterAll(() => sim.close());

  it('issues Graph tokens as specified', () => {
    const c = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    expect(c.aud).toBe(G.token.aud);
    expect(c.roles).toEqual(G.token.roles);
  });

  it.each(G.exports.map((e) => [e.id, e] as const))('%s: 202 → operation → manifest → blob lines', async (_id, e) => {
    const started = await post(e.path, fillBody(e.body));
    expect(started.status).toBe(G.startExport.status);
    expect(started.text).toBe(G.startExport.body);
    const op = started.headers.get('location')!;
    expect(op.startsWith(`${a.graphBaseUrl}${G.operation.path.replace('{id}', '')}`)).toBe(true);
    const r = await get(op);
    expect(r.status).toBe(200);
    for (const f of G.operation.fields) expect({ f, present: f in r.json }).toEqual({ f, present: true });
    expect(r.json.status).toBe('succeeded');
    expect(r.json['@odata.type']).toBe(G.operation.odataTypes.succeeded);
    const m = r.json[G.operation.succeeded.inline];
    expect(Object.keys(m).sort()).toEqual([...G.manifest.fields].sort());
    expect(m.dataFormat).toBe(G.manifest.dataFormat);
    expect(Object.keys(m.blobs[0]).sort()).toEqual([...G.manifest.blobFields].sort());
    const sas = new URLSearchParams(m.sasToken);
    for (const f of B.sasFields) expect(sas.get(f)).toBeTruthy();
    expect({ sr: sas.get('sr'), sp: sas.get('sp') }).toEqual({ sr: B.sas.sr, sp: B.sas.sp });
    expect(Date.parse(sas.get('se')!) - NOW.getTime()).toBe(B.sas.ttlSeconds * 1000);
    const blob = await fetch(`${m.rootDirectory}/${m.blobs[0].name}?${m.sasToken}`);
    expect(blob.status).toBe(200);
    expect(blob.headers.get('content-type')).toBe(B.contentType);
    expect(blob.headers.get('content-encoding')).toBeNull();
    for (const h of B.headers) expect(blob.headers.get(h)).toBeTruthy();
    const raw = Buffer.from(await blob.arrayBuffer());
    expect(raw.subarray(0, 2).toString('hex')).toBe(B.gzipMagic);
    const first = JSON.parse(gunzipSync(raw).toString('utf8').split('\n')[0]);
    expect(Object.keys(first)).toEqual(G.lineFields[e.lines]);
  });

  it('answers Graph and storage errors as specified', async () => {
    const bad = await post(G.exports[0].path, {});
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json)).toEqual(G.errorBody.fields);
    for (const f of G.errorBody.errorFields) expect(bad.json.error[f]).toEqual(expect.any(String));
    await http(`${sim.url}/_sim/graph/${a.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ permission: false }) });
    const denied = await post(G.exports[0].path, fillBody(G.exports[0].body));
    expect(denied.status).toBe(G.forbidden.status);
    expect(denied.json.error.code).toBe(G.forbidden.code);
    expect(denied.json.error.message).toContain(G.forbidden.messageContains);
    await http(`${sim.url}/_sim/graph/${a.id}`, { method: 'DELETE' });
    const op = (await post(G.exports[0].path, fillBody(G.exports[0].body))).headers.get('location')!;
    const m = (await get(op)).json.resourceLocation;
    const forged = await http(`${m.rootDirectory}/${m.blobs[0].name}?${m.sasToken.replace(/sig=[^&]+/, 'sig=x')}`);
    expect(forged.status).toBe(B.errors.expiredOrBadSignature.status);
    expect(forged.text).toContain(`<Code>${B.errors.expiredOrBadSignature.code}</Code>`);
    const missing = await http(`${m.rootDirectory}/part-99999.c000.json.gz?${m.sasToken}`);
    expect(missing.status).toBe(B.errors.missingBlob.status);
    expect(missing.text).toContain(`<Code>${B.errors.missingBlob.code}</Code>`);
  });
});
