import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { D, getToken, http, pcGet, tokenRequest } from './testing/helpers';

describe('pc-sim app+user operations, rate card and legacy utilization', () => {
  let sim: RunningSimulator;
  let accounts: AccountInfo[];
  const acct = (id: string) => accounts.find((a) => a.id === id)!;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: new Date('2026-11-25T12:00:00Z') });
    accounts = (await http(`${sim.url}/_sim/accounts`)).json.items;
  });
  afterAll(() => sim.close());

  async function userToken(a: AccountInfo, role?: string): Promise<string> {
    const rt = await http(`${sim.url}/_sim/accounts/${a.id}/refresh-token`, { method: 'POST', body: role ? JSON.stringify({ role }) : '' });
    expect(rt.status).toBe(200);
    const r = await tokenRequest(a.tokenUrl, { grant_type: 'refresh_token', client_id: a.appId, client_secret: a.secret, refresh_token: rt.json.refresh_token, resource: a.resource });
    expect(r.status).toBe(200);
    expect(r.json.refresh_token).toMatch(/^rt1\./);
    return r.json.access_token;
  }

  it('redeems refresh tokens only for their own account and app', async () => {
    const a = acct('eu');
    const b = acct('global-us');
    const rt = (await http(`${sim.url}/_sim/accounts/${a.id}/refresh-token`, { method: 'POST' })).json.refresh_token;
    const foreign = await tokenRequest(b.tokenUrl, { grant_type: 'refresh_token', client_id: b.appId, client_secret: b.secret, refresh_token: rt, resource: b.resource });
    expect(foreign.status).toBe(400);
    expect(foreign.json.error).toBe('invalid_grant');
    const forged = await tokenRequest(a.tokenUrl, { grant_type: 'refresh_token', client_id: a.appId, client_secret: a.secret, refresh_token: `${rt}x`, resource: a.resource });
    expect(forged.json.error).toBe('invalid_grant');
    expect((await http(`${sim.url}/_sim/accounts/${a.id}/refresh-token`, { method: 'POST', body: '{"role":"Pope"}' })).status).toBe(400);
  });

  it('refuses app-only tokens on usage summaries, budgets and roles with 403 and a PC error body', async () => {
    const a = acct('eu');
    const t = await getToken(a);
    const c = (await pcGet(`${a.baseUrl}/v1/customers`, t)).json.items[0];
    for (const path of ['/v1/usagesummary', `/v1/customers/${c.id}/usagesummary`, `/v1/customers/${c.id}/usagebudget`, `/v1/customers/${c.id}/subscriptions/usagerecords`, '/v1/roles']) {
      const r = await pcGet(`${a.baseUrl}${path}`, t);
      expect({ path, status: r.status }).toEqual({ path, status: 403 });
      expect(r.json).toMatchObject({ code: 900403, data: [], source: 'PartnerFD', description: expect.stringMatching(/App\+User/) });
    }
    // A user whose role does not read usage gets 403 too; roles are still readable.
    const sales = await userToken(a, 'Sales agent');
    expect((await pcGet(`${a.baseUrl}/v1/customers/${c.id}/usagesummary`, sales)).status).toBe(403);
    expect((await pcGet(`${a.baseUrl}/v1/roles`, sales)).status).toBe(200);
  });

  it('serves usage summaries, spending budgets (GET + PATCH), usage records and roles to app+user tokens', async () => {
    const a = acct('eu');
    const t = await userToken(a);
    const customers = (await pcGet(`${a.baseUrl}/v1/customers`, t)).json.items;
    const c = customers[0];
    const s = (await pcGet(`${a.baseUrl}/v1/customers/${c.id}/usagesummary`, t)).json;
    expect(s).toMatchObject({ resourceId: c.id, currencyCode: 'EUR', billingStartDate: '2026-11-01T00:00:00Z', billingEndDate: '2026-12-01T00:00:00Z', attributes: { objectType: 'CustomerUsageSummary' } });
    const truth = (await http(`${sim.url}/_sim/ground-truth?account=eu&from=2026-11-01&to=2026-11-24&groupBy=customer`)).json;
    const mine = truth.rows.find((r: { keys: { customer: string } }) => r.keys.customer === c.id);
    expect(s.totalCost).toBe(Number(new D(mine.amount).toFixed(2)));
    const patched = await http(`${a.baseUrl}/v1/customers/${c.id}/usagebudget`, { method: 'PATCH', headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' }, body: '{"amount":2000}' });
    expect(patched.status).toBe(200);
    expect((await pcGet(`${a.baseUrl}/v1/customers/${c.id}/usagebudget`, t)).json).toEqual({ amount: 2000, attributes: { objectType: 'SpendingBudget' } });
    expect((await pcGet(`${a.baseUrl}/v1/customers/${c.id}/usagesummary`, t)).json.budget).toEqual({ amount: 2000 });
    const bad = await http(`${a.baseUrl}/v1/customers/${c.id}/usagebudget`, { method: 'PATCH', headers: { Authorization: `Bearer ${t}` }, body: '{"amount":"lots"}' });
    expect(bad.status).toBe(400);
    const recs = (await pcGet(`${a.baseUrl}/v1/customers/${c.id}/subscriptions/usagerecords`, t)).json;
    expect(recs.items[0]).toMatchObject({ id: expect.any(String), offerId: 'DZH318Z0BCZC:0001', totalCost: s.totalCost, attributes: { objectType: 'SubscriptionMonthlyUsageRecord' } });
    const p = (await pcGet(`${a.baseUrl}/v1/usagesummary`, t)).json;
    expect(p).toMatchObject({ customersWithUsageBasedSubscription: customers.length, totalCost: 0, attributes: { objectType: 'PartnerUsageSummary' } });
    const roles = (await pcGet(`${a.baseUrl}/v1/roles`, t)).json;
    expect(roles.items.map((r: { name: string }) => r.name)).toContain('Global admin');
    expect(roles.items.every((r: { attributes: { objectType: string } }) => r.attributes.objectType === 'DirectoryRole')).toBe(true);
    const members = (await pcGet(`${a.baseUrl}/v1/roles/${roles.items[0].id}/usermembers`, t)).json;
    expect(members.items.length).toBeGreaterThan(0);
    expect(members.items[0]).toMatchObject({ userPrincipalName: expect.stringContaining('@'), roleId: roles.items[0].id });
    expect((await pcGet(`${a.baseUrl}/v1/roles/nope/usermembers`, t)).status).toBe(404);
  });

  it('serves a tiered Azure rate card per currency', async () => {
    const a = acct('global-us');
    const t = await getToken(a);
    const card = (await pcGet(`${a.baseUrl}/v1/ratecards/azure`, t)).json;
    expect(card).toMatchObject({ currency: 'USD', locale: 'en-US', isTaxIncluded: false, attributes: { objectType: 'AzureRateCard' } });
    expect(card.meters.some((m: { rates: Record<string, number> }) => Object.keys(m.rates).length > 1)).toBe(true);
    const eur = (await pcGet(`${a.baseUrl}/v1/ratecards/azure?currency=EUR&region=DE`, t)).json;
    expect(eur.currency).toBe('EUR');
    expect(eur.meters[0].rates['0']).toBeLessThan(card.meters[0].rates['0']);
    expect((await pcGet(`${a.baseUrl}/v1/ratecards/azure?currency=XYZ`, t)).status).toBe(400);
  });

  it('lists a legacy MS-AZR-0145P subscription and pages its utilization records (ids on the rate card)', async () => {
    const a = acct('global-us');
    const t = await getToken(a);
    const card = (await pcGet(`${a.baseUrl}/v1/ratecards/azure`, t)).json;
    const cards = new Set(card.meters.map((m: { id: string }) => m.id));
    const customers = (await pcGet(`${a.baseUrl}/v1/customers`, t)).json.items;
    let legacy: { id: string } | undefined;
    let owner = '';
    for (const c of customers) {
      const subs = (await pcGet(`${a.baseUrl}/v1/customers/${c.id}/subscriptions`, t)).json.items;
      const l = subs.find((s: { offerId: string }) => s.offerId === 'MS-AZR-0145P');
      if (l) [legacy, owner] = [l, c.id];
    }
    expect(legacy).toBeDefined();
    const base = `${a.baseUrl}/v1/customers/${owner}/subscriptions/${legacy!.id}/utilizations/azure?start_time=2026-11-01T00:00:00Z&end_time=2026-11-08T00:00:00Z`;
    const all = (await pcGet(base, t)).json;
    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.every((i: { resource: { id: string } }) => cards.has(i.resource.id))).toBe(true);
    expect(all.items[0]).toMatchObject({ usageStartTime: expect.any(String), unit: expect.any(String), instanceData: { resourceUri: expect.any(String) }, attributes: { objectType: 'AzureUtilizationRecord' } });
    const seen: string[] = [];
    let url = `${base}&size=7`;
    let headers: Record<string, string> = {};
    for (;;) {
      const r = (await pcGet(url, t, headers)).json;
      seen.push(...r.items.map((i: { usageStartTime: string; resource: { id: string } }) => `${i.usageStartTime}|${i.resource.id}`));
      if (!r.links.next) break;
      url = `${a.baseUrl}/v1${r.links.next.uri}`;
      headers = Object.fromEntries(r.links.next.headers.map((h: { key: string; value: string }) => [h.key, h.value]));
    }
    expect(seen).toEqual(all.items.map((i: { usageStartTime: string; resource: { id: string } }) => `${i.usageStartTime}|${i.resource.id}`));
    const hourly = (await pcGet(`${base}&granularity=hourly&show_details=false`, t)).json;
    expect(hourly.items.length).toBe(Math.min(1000, all.items.length * 24));
    expect(hourly.items[0].instanceData).toBeUndefined();
    const plan = customers[0];
    const planId = (await pcGet(`${a.baseUrl}/v1/customers/${plan.id}/subscriptions`, t)).json.items[0].id;
    expect((await pcGet(`${a.baseUrl}/v1/customers/${plan.id}/subscriptions/${planId}/utilizations/azure?start_time=2026-11-01T00:00:00Z&end_time=2026-11-02T00:00:00Z`, t)).status).toBe(400);
  });
});
