import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { D, getToken, http, pcGet, rawNumbers } from './testing/helpers';

const NOW = new Date('2026-11-25T12:00:00Z');

/** Reads every page of an invoice's line items of one type (continuation paging). */
async function lineItems(a: AccountInfo, token: string, invoiceId: string, type: 'usagelineitems' | 'billinglineitems', size = 2000) {
  let url = `${a.baseUrl}/v1/invoices/${invoiceId}/lineitems?provider=onetime&invoicelineitemtype=${type}&currencycode=${a.currency.toLowerCase()}&period=current&size=${size}`;
  let headers: Record<string, string> = {};
  const items: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const raw: string[] = [];
  for (;;) {
    const r = await pcGet(url, token, headers);
    expect(r.status).toBe(200);
    expect(r.json.attributes.objectType).toBe('Collection');
    items.push(...r.json.items);
    raw.push(...rawNumbers(r.text, type === 'usagelineitems' ? 'billingPreTaxTotal' : 'subtotal'));
    const next = r.json.links.next;
    if (!next) return { items, raw };
    url = `${a.baseUrl}/v1${next.uri}`;
    headers = Object.fromEntries(next.headers.map((h: { key: string; value: string }) => [h.key, h.value]));
  }
}

describe('pc-sim invoices, billed usage and month close', () => {
  let sim: RunningSimulator;
  let accounts: AccountInfo[];
  const acct = (id: string) => accounts.find((a) => a.id === id)!;

  beforeEach(async () => {
    sim = await startSimulator({ port: 0, retireV1: false, seed: 42, now: NOW });
    accounts = (await http(`${sim.url}/_sim/accounts`)).json.items;
  });
  afterEach(() => sim.close());

  it('lists invoices newest first with offset paging: twelve closed months, the latest October', async () => {
    const a = acct('global-us');
    const t = await getToken(a);
    const all = (await pcGet(`${a.baseUrl}/v1/invoices`, t)).json;
    expect(all.totalCount).toBe(12);
    expect(all.items.map((i: { billingPeriodStartDate: string }) => i.billingPeriodStartDate.slice(0, 7))).toEqual(
      ['2026-10', '2026-09', '2026-08', '2026-07', '2026-06', '2026-05', '2026-04', '2026-03', '2026-02', '2026-01', '2025-12', '2025-11'],
    );
    const first = all.items[0];
    expect(first).toMatchObject({ invoiceDate: '2026-11-08T00:00:00Z', billingPeriodEndDate: '2026-10-31T00:00:00Z', currencyCode: 'USD', documentType: 'Invoice', pdfDownloadLink: '' });
    expect(first.id).toMatch(/^G\d{9}$/);
    expect(first.invoiceDetails.map((d: { invoiceLineItemType: string }) => d.invoiceLineItemType)).toEqual(['billing_line_items', 'usage_line_items']);
    const paged: string[] = [];
    for (let offset = 0; offset < all.totalCount; offset += 5) {
      const page = (await pcGet(`${a.baseUrl}/v1/invoices?size=5&offset=${offset}`, t)).json;
      paged.push(...page.items.map((i: { id: string }) => i.id));
    }
    expect(paged).toEqual(all.items.map((i: { id: string }) => i.id));
    const byId = (await pcGet(`${a.baseUrl}/v1/invoices/${first.id}`, t)).json;
    expect(byId.pdfDownloadLink).toMatch(/^http/);
    expect((await pcGet(`${a.baseUrl}/v1/invoices/G000000000`, t)).json).toMatchObject({ code: 3000 });
  });

  it("serves an invoice's billed usage that equals the ground truth, and billing lines that add up to its total", async () => {
    for (const id of ['eu', 'china', 'global-sandbox']) {
      const a = acct(id);
      const t = await getToken(a);
      const invoice = (await pcGet(`${a.baseUrl}/v1/invoices`, t)).json.items.find((i: { billingPeriodStartDate: string }) => i.billingPeriodStartDate.startsWith('2026-09'));
      const usage = await lineItems(a, t, invoice.id, 'usagelineitems', 500);
      expect(usage.items.every((i) => i.invoiceNumber === invoice.id && i.usageDate.startsWith('2026-09'))).toBe(true);
      const truth = (await http(`${sim.url}/_sim/ground-truth?account=${id}&from=2026-09-01&to=2026-09-30&groupBy=invoice,source`)).json;
      expect(truth.rows).toEqual([{ keys: { invoice: invoice.id, source: 'billed' }, amount: truth.total, lineItems: usage.items.length }]);
      expect(usage.raw.reduce((s, v) => s.plus(v), new D(0)).toFixed()).toBe(new D(truth.total).toFixed());
      const billing = await lineItems(a, t, invoice.id, 'billinglineitems');
      const total = billing.raw.reduce((s, v) => s.plus(v), new D(0));
      expect(total.toFixed()).toBe(new D(rawNumbers((await pcGet(`${a.baseUrl}/v1/invoices/${invoice.id}`, t)).text, 'totalCharges')[0]).toFixed());
      if (a.sandbox) expect(invoice['x-sim-note']).toMatch(/DO NOT PAY/);
    }
  });

  it('plants one reconciliation difference, an overdue invoice and a credit note, and reports them', async () => {
    const planted = (await http(`${sim.url}/_sim/planted`)).json;
    expect(planted.reconciliation).toHaveLength(1);
    const p = planted.reconciliation[0];
    expect(p).toMatchObject({ account: 'eu', period: '2026-10', difference: '1.37' });
    const a = acct('eu');
    const t = await getToken(a);
    const usage = await lineItems(a, t, p.invoiceId, 'usagelineitems');
    const billing = await lineItems(a, t, p.invoiceId, 'billinglineitems');
    const usageOf = usage.items.filter((i) => i.customerId === p.customerId).length;
    expect(usageOf).toBeGreaterThan(0);
    const line = billing.items.find((i) => i.customerId === p.customerId);
    expect(new D(line.subtotal).minus(new D(p.billedUsage).toDecimalPlaces(2)).toFixed()).toBe('1.37');
    const invoices = (await pcGet(`${a.baseUrl}/v1/invoices`, t)).json.items;
    const note = invoices.find((i: { documentType: string }) => i.documentType === 'Credit Note');
    expect(note).toMatchObject({ amendsOf: planted.creditNotes[0].amendsOf, totalCharges: -25 });
    expect(invoices.find((i: { id: string }) => i.id === note.amendsOf).amendments).toEqual([note.id]);
    expect(planted.overdue).toEqual([{ account: 'usgov', invoiceId: expect.stringMatching(/^G\d{9}$/) }]);
  });

  it('closes November when the clock passes 8 December: a new invoice, and November leaves the current period', async () => {
    const a = acct('germany');
    const t = await getToken(a);
    const before = (await pcGet(`${a.baseUrl}/v1/invoices`, t)).json;
    expect(before.items[0].billingPeriodStartDate).toBe('2026-10-01T00:00:00Z');
    expect((await http(`${sim.url}/_sim/clock`, { method: 'POST', body: JSON.stringify({ now: '2026-12-07T23:00:00Z' }) })).json.now).toBe('2026-12-07T23:00:00.000Z');
    expect((await pcGet(`${a.baseUrl}/v1/invoices`, t)).json.totalCount).toBe(before.totalCount);
    expect((await http(`${sim.url}/_sim/clock`, { method: 'POST', body: JSON.stringify({ advanceHours: 2 }) })).status).toBe(200);
    const after = (await pcGet(`${a.baseUrl}/v1/invoices`, t)).json;
    expect(after.items[0]).toMatchObject({ billingPeriodStartDate: '2026-11-01T00:00:00Z', invoiceDate: '2026-12-08T00:00:00Z' });
    const nov = await lineItems(a, t, after.items[0].id, 'usagelineitems');
    const truth = (await http(`${sim.url}/_sim/ground-truth?account=germany&from=2026-11-01&to=2026-11-30&groupBy=source`)).json;
    expect(truth.rows).toEqual([{ keys: { source: 'billed' }, amount: truth.total, lineItems: nov.items.length }]);
    // The unbilled "current" period is now December; November is only "previous".
    const current = (await pcGet(`${a.baseUrl}/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=eur&period=current&size=2000`, t)).json;
    expect(current.items.every((i: { usageDate: string }) => i.usageDate.startsWith('2026-12'))).toBe(true);
    const summary = (await pcGet(`${a.baseUrl}/v1/invoices/summary`, t)).json;
    expect(summary).toMatchObject({ currencyCode: 'EUR', attributes: { objectType: 'InvoiceSummary' } });
    expect(summary.balanceAmount).toBeGreaterThan(0);
    expect((await http(`${sim.url}/_sim/clock`, { method: 'POST', body: '{"advanceDays":"x"}' })).status).toBe(400);
  });
});
