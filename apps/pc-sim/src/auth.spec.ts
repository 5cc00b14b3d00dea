import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { getToken, http, pcGet, tokenRequest } from './testing/helpers';

const NOW = new Date('2026-11-25T12:00:00Z');

describe('pc-sim authentication', () => {
  let sim: RunningSimulator;
  let accounts: AccountInfo[];
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: NOW });
    accounts = (await http(`${sim.url}/_sim/accounts`)).json.items;
    for (const a of accounts) tokens.set(a.id, await getToken(a));
  });
  afterAll(() => sim.close());

  it('lists the six demo accounts with absolute URLs', () => {
    expect(accounts.map((a) => a.id)).toEqual(['global-us', 'eu', 'usgov', 'china', 'germany', 'global-sandbox']);
    const byId = Object.fromEntries(accounts.map((a) => [a.id, a]));
    expect(byId.eu).toMatchObject({ cloud: 'global', currency: 'EUR', pricingCurrency: 'USD', sandbox: false });
    expect(byId.china).toMatchObject({ cloud: 'china', currency: 'CNY', resource: 'https://partner.partnercenterapi.microsoftonline.cn' });
    expect(byId['global-sandbox'].sandbox).toBe(true);
    for (const a of accounts) {
      expect(a.baseUrl).toBe(`${sim.url}/pc/${a.id}`);
      expect(a.authority).toBe(`${sim.url}/login/${a.cloud}`);
      expect(a.tokenUrl).toBe(`${a.authority}/${a.tenantId}/oauth2/token`);
      expect(a.tenantId).toMatch(/^[0-9a-f-]{36}$/);
      expect(a.appId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(accounts.map((a) => a.tenantId)).size).toBe(6);
    expect(new Set(accounts.map((a) => a.secret)).size).toBe(6);
  });

  it('issues v1 tokens per account (expires_in as a string) that work on the own account', async () => {
    for (const a of accounts) {
      const r = await tokenRequest(a.tokenUrl, { grant_type: 'client_credentials', client_id: a.appId, client_secret: a.secret, resource: a.resource });
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: '3599', ext_expires_in: '3599' });
      expect(typeof r.json.access_token).toBe('string');
      const c = await pcGet(`${a.baseUrl}/v1/customers`, r.json.access_token);
      expect(c.status).toBe(200);
    }
  });

  it('issues v2 tokens for scope {resource}/.default', async () => {
    const a = accounts.find((x) => x.id === 'china')!;
    const url = `${a.authority}/${a.tenantId}/oauth2/v2.0/token`;
    const r = await tokenRequest(url, { grant_type: 'client_credentials', client_id: a.appId, client_secret: a.secret, scope: `${a.resource}/.default` });
    expect(r.status).toBe(200);
    expect(r.json.token_type).toBe('Bearer');
    expect((await pcGet(`${a.baseUrl}/v1/customers`, r.json.access_token)).status).toBe(200);
    const bad = await tokenRequest(url, { grant_type: 'client_credentials', client_id: a.appId, client_secret: a.secret, scope: 'https://api.partnercenter.microsoft.com/.default' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_resource');
  });

  it("rejects every account's token on every other account with 401 and a PC error body", async () => {
    for (const a of accounts) {
      for (const b of accounts) {
        if (a.id === b.id) continue;
        const r = await pcGet(`${b.baseUrl}/v1/customers`, tokens.get(a.id)!);
        expect(r.status).toBe(401);
        expect(r.json).toMatchObject({ code: 900401, data: [], source: 'PartnerFD' });
        expect(typeof r.json.description).toBe('string');
      }
    }
  });

  it('rejects missing and forged tokens', async () => {
    const a = accounts[0];
    expect((await pcGet(`${a.baseUrl}/v1/customers`, null)).status).toBe(401);
    const t = tokens.get(a.id)!;
    const forged = t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await pcGet(`${a.baseUrl}/v1/customers`, forged)).status).toBe(401);
    expect((await pcGet(`${a.baseUrl}/v1/customers`, 'not-a-token')).status).toBe(401);
  });

  it('refuses a wrong secret, an unknown client, a foreign tenant and a wrong resource', async () => {
    const a = accounts[0];
    const ok = { grant_type: 'client_credentials', client_id: a.appId, client_secret: a.secret, resource: a.resource };
    const wrongSecret = await tokenRequest(a.tokenUrl, { ...ok, client_secret: 'nope' });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.json.error).toBe('invalid_client');
    expect(wrongSecret.json.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);

    const otherSecret = await tokenRequest(a.tokenUrl, { ...ok, client_secret: accounts[1].secret });
    expect(otherSecret.status).toBe(401);

    const unknownClient = await tokenRequest(a.tokenUrl, { ...ok, client_id: accounts[1].appId });
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.json.error).toBe('unauthorized_client');

    const unknownTenant = await tokenRequest(`${a.authority}/00000000-0000-0000-0000-000000000000/oauth2/token`, ok);
    expect(unknownTenant.status).toBe(400);
    expect(unknownTenant.json.error).toBe('invalid_request');

    // the usgov tenant does not exist at the global authority
    const gov = accounts.find((x) => x.id === 'usgov')!;
    const crossCloud = await tokenRequest(`${a.authority}/${gov.tenantId}/oauth2/token`, { ...ok, client_id: gov.appId, client_secret: gov.secret });
    expect(crossCloud.status).toBe(400);
    expect(crossCloud.json.error).toBe('invalid_request');

    const wrongResource = await tokenRequest(a.tokenUrl, { ...ok, resource: 'https://partner.partnercenterapi.microsoftonline.cn' });
    expect(wrongResource.status).toBe(400);
    expect(wrongResource.json.error).toBe('invalid_resource');

    const wrongGrant = await tokenRequest(a.tokenUrl, { ...ok, grant_type: 'password' });
    expect(wrongGrant.status).toBe(400);
    expect(wrongGrant.json.error).toBe('unsupported_grant_type');
  });

  it('rejects expired tokens', async () => {
    const short = await startSimulator({ port: 0, seed: 42, now: NOW, tokenTtlSeconds: 1 });
    try {
      const a = (await http(`${short.url}/_sim/accounts`)).json.items[0] as AccountInfo;
      const t = await getToken(a);
      await new Promise((r) => setTimeout(r, 1100));
      const r = await pcGet(`${a.baseUrl}/v1/customers`, t);
      expect(r.status).toBe(401);
      expect(r.json.description).toMatch(/expired/);
    } finally {
      await short.close();
    }
  });

  it('echoes MS-RequestId / MS-CorrelationId and adds MS-CV / MS-ServerId', async () => {
    const a = accounts[0];
    const r = await pcGet(`${a.baseUrl}/v1/customers`, tokens.get(a.id)!, { 'MS-RequestId': 'req-123', 'MS-CorrelationId': 'corr-456' });
    expect(r.headers.get('ms-requestid')).toBe('req-123');
    expect(r.headers.get('ms-correlationid')).toBe('corr-456');
    expect(r.headers.get('ms-cv')).toBeTruthy();
    expect(r.headers.get('ms-serverid')).toBeTruthy();
    const unauth = await pcGet(`${a.baseUrl}/v1/customers`, null, { 'MS-RequestId': 'req-9' });
    expect(unauth.headers.get('ms-requestid')).toBe('req-9');
  });

  it('answers unknown paths with a 404 PC error body', async () => {
    const a = accounts[0];
    const r = await pcGet(`${a.baseUrl}/v1/nothing-here`, tokens.get(a.id)!);
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ code: 3000, data: [], source: 'PartnerFD' });
    expect((await pcGet(`${sim.url}/pc/no-such-account/v1/customers`, null)).status).toBe(404);
    expect((await pcGet(`${sim.url}/elsewhere`, null)).json.code).toBe(3000);
  });

  it('serves the clock', async () => {
    expect((await http(`${sim.url}/_sim/clock`)).json).toEqual({ now: '2026-11-25T12:00:00.000Z' });
  });
});
