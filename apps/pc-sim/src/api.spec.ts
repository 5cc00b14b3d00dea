import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { D, fetchAllUsage, getToken, http, pcGet, upsertKey, type PagedUsage } from './testing/helpers';

const NOW = new Date('2026-11-25T12:00:00Z');

describe('pc-sim Partner Center surface', () => {
  let sim: RunningSimulator;
  let accounts: AccountInfo[];
  const tokens = new Map<string, string>();
  const usage = new Map<string, { previous: PagedUsage; current: PagedUsage }>();
  const acct = (id: string): AccountInfo => accounts.find((a) => a.id === id)!;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, retireV1: false, seed: 42, now: NOW });
    accounts = (await http(`${sim.url}/_sim/accounts`)).json.items;
    for (const a of accounts) {
      tokens.set(a.id, await getToken(a));
      usage.set(a.id, {
        previous: await fetchAllUsage(a, tokens.get(a.id)!, 'previous', 2000),
        current: await fetchAllUsage(a, tokens.get(a.id)!, 'current', 2000),
      });
    }
  });
  afterAll(() => sim.close());

  it('pages through customers with continuation tokens, each customer exactly once', async () => {
    for (const a of accounts) {
      const t = tokens.get(a.id)!;
      const all = (await pcGet(`${a.baseUrl}/v1/customers`, t)).json;
      expect(all.links.next).toBeUndefined();
      expect(all.totalCount).toBe(all.items.length);
      if (a.sandbox) expect(all.items.length).toBeGreaterThanOrEqual(3);
      else expect(all.items.length).toBeGreaterThanOrEqual(6);
      expect(all.items.length).toBeLessThanOrEqual(a.sandbox ? 5 : 12);

      const seen: string[] = [];
      let url = `${a.baseUrl}/v1/customers?size=2`;
      let headers: Record<string, string> = {};
      for (;;) {
        const page = (await pcGet(url, t, headers)).json;
        expect(page.attributes.objectType).toBe('Collection');
        expect(page.totalCount).toBe(page.items.length);
        for (const c of page.items) {
          expect(c.attributes.objectType).toBe('Customer');
          expect(c.companyProfile.tenantId).toBe(c.id);
          seen.push(c.id);
        }
        if (!page.links.next) break;
        expect(page.links.next.uri).toBe('/customers?size=2&seekOperation=Next');
        expect(page.links.next.headers[0].key).toBe('MS-ContinuationToken');
        url = `${a.baseUrl}/v1${page.links.next.uri}`;
        headers = { 'MS-ContinuationToken': page.links.next.headers[0].value };
      }
      expect(seen).toEqual(all.items.map((c: { id: string }) => c.id));
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it('serves subscriptions, one Azure plan per customer, and its Azure entitlements', async () => {
    for (const a of accounts) {
      const t = tokens.get(a.id)!;
      const customers = (await pcGet(`${a.baseUrl}/v1/customers`, t)).json.items;
      const entitlementIds = new Set<string>();
      for (const c of customers) {
        const one = await pcGet(`${a.baseUrl}/v1/customers/${c.id}`, t);
        expect(one.json.id).toBe(c.id);
        const subs = (await pcGet(`${a.baseUrl}/v1/customers/${c.id}/subscriptions`, t)).json;
        expect(subs.totalCount).toBe(subs.items.length);
        const plans = subs.items.filter((s: { offerId: string }) => s.offerId === 'DZH318Z0BCZC:0001');
        expect(plans).toHaveLength(1);
        expect(plans[0]).toMatchObject({ billingType: 'usage', status: 'active', attributes: { objectType: 'Subscription' } });
        const byId = await pcGet(`${a.baseUrl}/v1/customers/${c.id}/subscriptions/${plans[0].id}`, t);
        expect(byId.json.id).toBe(plans[0].id);
        const ents = (await pcGet(`${a.baseUrl}/v1/customers/${c.id}/subscriptions/${plans[0].id}/azureEntitlements`, t)).json;
        expect(ents.items.length).toBeGreaterThanOrEqual(1);
        expect(ents.items.length).toBeLessThanOrEqual(a.sandbox ? 5 : 3);
        for (const e of ents.items) {
          expect(e).toMatchObject({ status: 'active', subscriptionId: plans[0].id, attributes: { objectType: 'AzureEntitlement' } });
          entitlementIds.add(e.id);
        }
        const license = subs.items.find((s: { billingType: string }) => s.billingType === 'license');
        if (license) {
          const r = await pcGet(`${a.baseUrl}/v1/customers/${c.id}/subscriptions/${license.id}/azureEntitlements`, t);
          expect(r.status).toBe(400);
        }
      }
      // every usage item belongs to a listed plan/entitlement of a listed customer
      const u = usage.get(a.id)!;
      const customerIds = new Set(customers.map((c: { id: string }) => c.id));
      const stray = [...u.previous.items, ...u.current.items].filter((i) => !entitlementIds.has(i.entitlementId) || !customerIds.has(i.customerId));
      expect(stray).toEqual([]);
    }
    const a = accounts[0];
    const missing = await pcGet(`${a.baseUrl}/v1/customers/00000000-0000-0000-0000-000000000000`, tokens.get(a.id)!);
    expect(missing.status).toBe(404);
    expect(missing.json.source).toBe('PartnerFD');
  });

  it('tells the pcToBC rate of every account and month exactly as its line items carry it (GET /_sim/exchange-rates)', async () => {
    const { items } = (await http(`${sim.url}/_sim/exchange-rates?from=2026-10&to=2026-11`)).json as { items: { account: string; period: string; rate: string; rateDate: string; pricingCurrency: string; billingCurrency: string }[] };
    expect(items).toHaveLength(accounts.length * 2);
    for (const a of accounts) {
      const u = usage.get(a.id)!;
      for (const [period, lines] of [['2026-10', u.previous.items], ['2026-11', u.current.items]] as const) {
        const truth = items.find((i) => i.account === a.id && i.period === period)!;
        expect(truth).toMatchObject({ pricingCurrency: a.pricingCurrency, billingCurrency: a.currency, rateDate: `${period}-01T00:00:00Z` });
        // Exact text: the raw JSON numbers, not doubles.
        expect(new Set(lines.map((l) => new D(String(l.pcToBCExchangeRate)).toFixed()))).toEqual(new Set([truth.rate]));
        expect(new Set(lines.map((l) => l.pcToBCExchangeRateDate))).toEqual(new Set([truth.rateDate]));
      }
    }
    const bad = await http(`${sim.url}/_sim/exchange-rates?from=2026-13&to=2026-11`);
    expect([bad.status, bad.json.parameter]).toEqual([400, 'from']);
  });

  it('has plausible volumes, periods and fields', () => {
    for (const a of accounts) {
      const u = usage.get(a.id)!;
      const prev = u.previous.items;
      const cur = u.current.items;
      if (!a.sandbox) {
        expect(prev.length / 31).toBeGreaterThanOrEqual(90);
        expect(prev.length / 31).toBeLessThanOrEqual(210);
      }
      expect(prev.filter((i) => !(i.usageDate >= '2026-10-01' && i.usageDate < '2026-11-01'))).toEqual([]);
      // current period: 1..24 November (strictly before the clock's day)
      expect(cur.filter((i) => !(i.usageDate >= '2026-11-01' && i.usageDate < '2026-11-25'))).toEqual([]);
      expect(cur.some((i) => i.usageDate.startsWith('2026-11-24'))).toBe(true);
      const i = prev[0];
      expect(i.attributes.objectType).toBe('DailyRatedUsageLineItem');
      expect(i.invoiceNumber).toBe('');
      expect(i.billingCurrency).toBe(a.currency);
      expect(i.pricingCurrency).toBe(a.pricingCurrency);
      expect(i.chargeStartDate).toBe('2026-10-01T00:00:00Z');
      for (const f of [
        'partnerId', 'partnerName', 'customerId', 'customerName', 'customerDomainName', 'customerCountry', 'invoiceNumber', 'mpnId', 'resellerMpnId',
        'productId', 'skuId', 'availabilityId', 'skuName', 'productName', 'publisherName', 'publisherId', 'subscriptionId', 'subscriptionDescription',
        'chargeStartDate', 'chargeEndDate', 'usageDate', 'meterType', 'meterCategory', 'meterId', 'meterSubCategory', 'meterName', 'meterRegion',
        'unitOfMeasure', 'resourceLocation', 'consumedService', 'resourceGroup', 'resourceUri', 'tags', 'additionalInfo', 'serviceInfo1', 'serviceInfo2',
        'chargeType', 'unitPrice', 'quantity', 'unitType', 'billingPreTaxTotal', 'billingCurrency', 'pricingPreTaxTotal', 'pricingCurrency',
        'entitlementId', 'entitlementDescription', 'pcToBCExchangeRate', 'pcToBCExchangeRateDate', 'effectiveUnitPrice', 'rateOfPartnerEarnedCredit',
        'rateOfCredit', 'creditType', 'hasPartnerEarnedCredit', 'benefitOrderId', 'benefitId', 'benefitType', 'invoiceLineItemType', 'billingProvider',
      ]) {
        expect(i).toHaveProperty(f);
      }
      const rates = new Set(prev.map((x) => x.pcToBCExchangeRate));
      expect(rates.size).toBe(1);
      if (a.currency === a.pricingCurrency) expect([...rates]).toEqual([1]);
      else expect([...rates][0]).toBeGreaterThan(0.85);
    }
    const gov = usage.get('usgov')!.previous.items;
    expect(new Set(gov.map((i) => i.resourceLocation))).toEqual(new Set(['usgovvirginia', 'usgovarizona', 'usgovtexas']));
    const cn = usage.get('china')!.previous.items;
    expect(cn.every((i) => i.resourceLocation.startsWith('china'))).toBe(true);
  });

  it('keeps totals exact: pricing = round8(qty × effectiveUnitPrice), billing = round8(pricing × rate)', () => {
    for (const a of accounts) {
      const u = usage.get(a.id)!.previous;
      // raw tokens are plain decimals (no exponent)
      expect([...u.billingRaw, ...u.pricingRaw].filter((s) => !/^-?\d+(\.\d{1,8})?$/.test(s))).toEqual([]);
      expect(u.billingRaw).toHaveLength(u.items.length);
      const wrong = u.items.slice(0, 500).filter((i, k) => {
        const p = new D(String(i.quantity)).times(String(i.effectiveUnitPrice)).toDecimalPlaces(8, D.ROUND_HALF_UP);
        return p.toFixed() !== u.pricingRaw[k] || p.times(String(i.pcToBCExchangeRate)).toDecimalPlaces(8, D.ROUND_HALF_UP).toFixed() !== u.billingRaw[k];
      });
      expect(wrong).toEqual([]);
    }
  });

  it('never repeats an upsert key within an account and period', () => {
    for (const a of accounts) {
      for (const p of ['previous', 'current'] as const) {
        const items = usage.get(a.id)![p].items;
        expect(new Set(items.map(upsertKey)).size).toBe(items.length);
      }
    }
  });

  it('pages unbilled usage with a small size returning every item exactly once', async () => {
    const a = acct('eu');
    for (const p of ['previous', 'current'] as const) {
      const small = await fetchAllUsage(a, tokens.get(a.id)!, p, 173);
      const big = usage.get(a.id)![p];
      expect(small.pages).toBe(Math.ceil(big.items.length / 173));
      expect(small.items.map(upsertKey)).toEqual(big.items.map(upsertKey));
      expect(small.billingRaw).toEqual(big.billingRaw);
    }
  });

  it('matches /_sim/ground-truth exactly (sum of raw decimal strings over both periods)', async () => {
    for (const a of accounts) {
      const u = usage.get(a.id)!;
      const raw = [...u.previous.billingRaw, ...u.current.billingRaw];
      const served = raw.reduce((s, x) => s.plus(x), new D(0));
      const gt = (await http(`${sim.url}/_sim/ground-truth?account=${a.id}&from=2026-10-01&to=2026-11-30`)).json;
      expect(gt.total).toBe(served.toFixed());
      expect(gt.lineItems).toBe(raw.length);
      expect(gt.rows).toHaveLength(1);

      const grouped = (await http(`${sim.url}/_sim/ground-truth?account=${a.id}&from=2026-10-01&to=2026-11-24&groupBy=service,region`)).json;
      expect(grouped.groupBy).toEqual(['service', 'region']);
      expect(grouped.total).toBe(gt.total);
      expect(grouped.rows.reduce((s: D, r: { amount: string }) => s.plus(r.amount), new D(0)).toFixed()).toBe(gt.total);
      // per service, per region from the served items
      const perKey = new Map<string, D>();
      [...u.previous.items, ...u.current.items].forEach((i, k) => {
        const key = `${i.meterCategory}|${i.resourceLocation}`;
        perKey.set(key, (perKey.get(key) ?? new D(0)).plus(raw[k]));
      });
      expect(grouped.rows).toHaveLength(perKey.size);
      for (const r of grouped.rows) expect(r.amount).toBe(perKey.get(`${r.keys.service}|${r.keys.region}`)!.toFixed());
    }
    // a float-summing client would drift from the exact total (sanity check of the premise)
    const u = usage.get('eu')!;
    const floatSum = u.previous.items.reduce((s, i) => s + i.billingPreTaxTotal, 0);
    const exact = u.previous.billingRaw.reduce((s, x) => s.plus(x), new D(0));
    expect(floatSum.toString()).not.toBe(exact.toFixed());
  });

  it('caps each sandbox Azure subscription at 200 USD per month', () => {
    const u = usage.get('global-sandbox')!;
    const per = new Map<string, D>();
    for (const p of ['previous', 'current'] as const) {
      u[p].items.forEach((i, k) => {
        const key = `${i.entitlementId}|${i.usageDate.slice(0, 7)}`;
        per.set(key, (per.get(key) ?? new D(0)).plus(u[p].pricingRaw[k]));
      });
    }
    const totals = [...per.values()];
    expect(totals.every((x) => x.lte(200))).toBe(true);
    expect(totals.some((x) => x.gte('199.99'))).toBe(true); // the cap is actually reached
    expect(u.previous.items.every((i) => i.chargeType === 'new')).toBe(true);
  });

  it('validates the unbilled line-item query', async () => {
    const a = acct('eu');
    const t = tokens.get(a.id)!;
    const base = `${a.baseUrl}/v1/invoices/unbilled/lineitems`;
    const q = (s: string): Promise<{ status: number; json: any }> => pcGet(`${base}?${s}`, t); // eslint-disable-line @typescript-eslint/no-explicit-any
    const mismatch = await q('provider=onetime&invoicelineitemtype=usagelineitems&currencycode=usd&period=current&size=10');
    expect(mismatch.status).toBe(400);
    expect(mismatch.json).toMatchObject({ data: [], source: 'PartnerFD' });
    expect(mismatch.json.description).toMatch(/currencycode/);
    expect((await q('provider=onetime&invoicelineitemtype=usagelineitems&currencycode=EUR&period=current&size=10')).status).toBe(200);
    expect((await q('provider=onetime&invoicelineitemtype=usagelineitems&currencycode=eur&size=10')).json.description).toMatch(/period/);
    expect((await q('provider=onetime&invoicelineitemtype=usagelineitems&currencycode=eur&period=last&size=10')).json.description).toMatch(/period/);
    expect((await q('invoicelineitemtype=usagelineitems&currencycode=eur&period=current')).json.description).toMatch(/provider/);
    expect((await q('provider=onetime&currencycode=eur&period=current')).json.description).toMatch(/invoicelineitemtype/);
    expect((await q('provider=onetime&invoicelineitemtype=usagelineitems&currencycode=eur&period=current&size=2001')).json.description).toMatch(/size/);
    expect((await q('provider=onetime&invoicelineitemtype=usagelineitems&period=current')).json.description).toMatch(/currencycode/);
    const noTok = await q('provider=onetime&invoicelineitemtype=usagelineitems&currencycode=eur&period=current&size=10&seekOperation=Next');
    expect(noTok.status).toBe(400);
    expect(noTok.json.description).toMatch(/MS-ContinuationToken/);
  });

  it('refuses continuation tokens from another account or another query', async () => {
    const eu = acct('eu');
    const ger = acct('germany');
    const first = await pcGet(`${eu.baseUrl}/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=eur&period=previous&size=5`, tokens.get(eu.id)!);
    const ct = first.json.links.next.headers[0].value as string;
    const next = `/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=eur&period=previous&size=5&seekOperation=Next`;
    expect((await pcGet(`${eu.baseUrl}/v1${next}`, tokens.get(eu.id)!, { 'MS-ContinuationToken': ct })).status).toBe(200);
    expect((await pcGet(`${ger.baseUrl}/v1${next}`, tokens.get(ger.id)!, { 'MS-ContinuationToken': ct })).status).toBe(400);
    const otherPeriod = next.replace('period=previous', 'period=current');
    expect((await pcGet(`${eu.baseUrl}/v1${otherPeriod}`, tokens.get(eu.id)!, { 'MS-ContinuationToken': ct })).status).toBe(400);
    expect((await pcGet(`${eu.baseUrl}/v1/customers?size=2&seekOperation=Next`, tokens.get(eu.id)!, { 'MS-ContinuationToken': ct })).status).toBe(400);
    expect((await pcGet(`${eu.baseUrl}/v1${next}`, tokens.get(eu.id)!, { 'MS-ContinuationToken': 'garbage' })).status).toBe(400);
  });

  it('validates ground-truth parameters', async () => {
    const gt = (q: string) => http(`${sim.url}/_sim/ground-truth?${q}`);
    expect((await gt('from=2026-10-01&to=2026-10-02')).json.parameter).toBe('account');
    expect((await gt('account=nope&from=2026-10-01&to=2026-10-02')).json.parameter).toBe('account');
    expect((await gt('account=eu&from=2026-13-01&to=2026-10-02')).json.parameter).toBe('from');
    expect((await gt('account=eu&from=2026-10-01')).json.parameter).toBe('to');
    expect((await gt('account=eu&from=2026-10-05&to=2026-10-01')).status).toBe(400);
    const badGroup = await gt('account=eu&from=2026-10-01&to=2026-10-02&groupBy=service,planet');
    expect(badGroup.status).toBe(400);
    expect(badGroup.json.message).toMatch(/groupBy/);
    // days on/after the clock's day have no usage yet
    const future = (await gt('account=eu&from=2026-11-25&to=2026-12-31')).json;
    expect(future).toMatchObject({ total: '0', lineItems: 0 });
  });
});
