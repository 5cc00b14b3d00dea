/** Integration Sandbox limits over HTTP, across a month close. */
import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { D, getToken, http, pcGet, rawNumbers } from './testing/helpers';

async function readAll(a: AccountInfo, token: string, path: string) {
  let url = `${a.baseUrl}/v1${path}`;
  let headers: Record<string, string> = {};
  const items: { entitlementId: string; usageDate: string; pricing: string }[] = [];
  for (;;) {
    const r = await pcGet(url, token, headers);
    expect(r.status).toBe(200);
    const pricing = rawNumbers(r.text, 'pricingPreTaxTotal');
    r.json.items.forEach((i: { entitlementId: string; usageDate: string }, k: number) => items.push({ entitlementId: i.entitlementId, usageDate: i.usageDate, pricing: pricing[k] }));
    if (!r.json.links.next) return items;
    url = `${a.baseUrl}/v1${r.json.links.next.uri}`;
    headers = Object.fromEntries(r.json.links.next.headers.map((h: { key: string; value: string }) => [h.key, h.value]));
  }
}

describe('integration sandbox', () => {
  let sim: RunningSimulator;
  let a: AccountInfo;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, retireV1: false, seed: 42, now: new Date('2026-11-25T12:00:00Z') });
    a = ((await http(`${sim.url}/_sim/accounts`)).json.items as AccountInfo[]).find((x) => x.sandbox)!;
  });
  afterAll(() => sim.close());

  it('keeps ≤75 customers × ≤5 Azure subscriptions, caps each at 200 USD a month, and marks invoices DO NOT PAY across a month close', async () => {
    const t = await getToken(a);
    const customers = (await pcGet(`${a.baseUrl}/v1/customers`, t)).json.items;
    expect(customers.length).toBeLessThanOrEqual(75);
    for (const c of customers) {
      const plan = (await pcGet(`${a.baseUrl}/v1/customers/${c.id}/subscriptions`, t)).json.items.find((s: { offerId: string }) => s.offerId.startsWith('DZH318Z0BCZC'));
      expect((await pcGet(`${a.baseUrl}/v1/customers/${c.id}/subscriptions/${plan.id}/azureEntitlements`, t)).json.items.length).toBeLessThanOrEqual(5);
    }
    const check = (items: { entitlementId: string; usageDate: string; pricing: string }[]) => {
      const per = new Map<string, InstanceType<typeof D>>();
      for (const i of items) {
        const k = `${i.entitlementId}|${i.usageDate.slice(0, 7)}`;
        per.set(k, (per.get(k) ?? new D(0)).plus(i.pricing));
      }
      const max = [...per.values()].reduce((m, x) => (x.gt(m) ? x : m), new D(0));
      expect(max.lte(200)).toBe(true);
      return max;
    };
    const u = (period: string) => `/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=usd&period=${period}&size=2000`;
    // The cap bites (some subscription reaches exactly 200) and is never exceeded.
    expect(check(await readAll(a, t, u('previous'))).toFixed()).toBe('200');
    check(await readAll(a, t, u('current')));

    await http(`${sim.url}/_sim/clock`, { method: 'POST', body: JSON.stringify({ now: '2026-12-09T06:00:00Z' }) });
    const invoices = (await pcGet(`${a.baseUrl}/v1/invoices`, t)).json.items;
    expect(invoices[0]).toMatchObject({ billingPeriodStartDate: '2026-11-01T00:00:00Z', 'x-sim-note': expect.stringMatching(/DO NOT PAY.*SANDBOX INVOICE/) });
    expect(invoices.every((i: Record<string, string>) => /DO NOT PAY/.test(i['x-sim-note']))).toBe(true);
    check(await readAll(a, t, `/invoices/${invoices[0].id}/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=usd&period=previous&size=2000`));
    check(await readAll(a, t, u('current')));
    expect(a.sandbox).toBe(true);
  });
});
