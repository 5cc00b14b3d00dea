/** Each request fault kind not covered by faults.spec.ts: 500, 503, slow, timeout, expiredToken. */
import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { getToken, http, pcGet } from './testing/helpers';

describe('fault kinds', () => {
  let sim: RunningSimulator;
  let a: AccountInfo;
  const put = (body: unknown) => http(`${sim.url}/_sim/faults/${a.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: new Date('2026-11-25T12:00:00Z') });
    a = ((await http(`${sim.url}/_sim/accounts`)).json.items as AccountInfo[]).find((x) => x.id === 'eu')!;
  });
  afterEach(() => http(`${sim.url}/_sim/faults/${a.id}`, { method: 'DELETE' }));
  afterAll(() => sim.close());

  it('500 and 503 (with Retry-After) carry the PC error body', async () => {
    const t = await getToken(a);
    await put({ rate: 1, kinds: ['500'] });
    const r500 = await pcGet(`${a.baseUrl}/v1/customers`, t);
    expect(r500.status).toBe(500);
    expect(r500.json).toMatchObject({ code: expect.any(Number), data: [], source: 'PartnerFD' });
    await put({ rate: 1, kinds: ['503'], retryAfterSeconds: 2 });
    const r503 = await pcGet(`${a.baseUrl}/v1/customers`, t);
    expect(r503.status).toBe(503);
    expect(r503.headers.get('retry-after')).toBe('2');
    expect((await http(`${sim.url}/_sim/faults/${a.id}/log`)).json.injected).toEqual({ '503': 1 });
  });

  it('slow answers correctly after slowMs', async () => {
    const t = await getToken(a);
    await put({ rate: 1, kinds: ['slow'], slowMs: 300 });
    const t0 = Date.now();
    const r = await pcGet(`${a.baseUrl}/v1/customers`, t);
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it('timeout never answers and drops the connection after hangMs', async () => {
    const t = await getToken(a);
    await put({ rate: 1, kinds: ['timeout'], hangMs: 300 });
    const t0 = Date.now();
    await expect(pcGet(`${a.baseUrl}/v1/customers`, t)).rejects.toThrow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    const ac = new AbortController();
    await put({ rate: 1, kinds: ['timeout'], hangMs: 10_000 });
    setTimeout(() => ac.abort(), 200);
    await expect(fetch(`${a.baseUrl}/v1/customers`, { headers: { Authorization: `Bearer ${t}` }, signal: ac.signal })).rejects.toThrow();
  });

  it('expiredToken answers 401 to older tokens only', async () => {
    const t = await getToken(a);
    await put({ rate: 1, kinds: ['expiredToken'] });
    // A token issued less than 2 s ago is served.
    expect((await pcGet(`${a.baseUrl}/v1/customers`, t)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    const r = await pcGet(`${a.baseUrl}/v1/customers`, t);
    expect(r.status).toBe(401);
    expect(r.json.description).toMatch(/expired/);
    expect(r.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });
});
