/**
 * Graph export blobs (partner-center-api.md §5.5): gzip JSON lines with the full/basic sets, the very
 * items v1 serves, splitting, SAS rules, Range, streaming, and sums equal to ground truth to the cent.
 */
import { request } from 'node:http';
import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { Dec, ZERO } from './money';
import { USAGE_BASIC_FIELDS, USAGE_FULL_FIELDS, RECON_FIELDS } from './graph-lines';
import { fetchAllUsage, getToken, http, pcGet, rawNumbers } from './testing/helpers';
import { allLines, blobLines, blobUrl, gget, graphToken, startExport, waitDone, type ExportPath, type Manifest } from './testing/graph-helpers';

const NOW = new Date('2026-11-25T12:00:00Z');
const INVOICE = 'G615202610'; // eu, October 2026

/** Follows links.next through every page of a v1 line item read; returns items and page bodies. */
async function v1All(a: AccountInfo, token: string, first: string): Promise<{ items: any[]; text: string }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  let url = `${a.baseUrl}/v1${first}`;
  let headers: Record<string, string> = {};
  const items = [];
  let text = '';
  for (;;) {
    const r = await pcGet(url, token, headers);
    if (r.status !== 200) throw new Error(`${url}: ${r.status} ${r.text}`);
    items.push(...r.json.items);
    text += r.text;
    const next = r.json.links?.next;
    if (!next) return { items, text };
    url = `${a.baseUrl}/v1${next.uri}`;
    headers = Object.fromEntries(next.headers.map((h: { key: string; value: string }) => [h.key, h.value]));
  }
}

const sumRaw = (tokens: string[]): Dec => tokens.reduce((s, x) => s.plus(new Dec(x)), ZERO);

describe('Graph export blobs', () => {
  let sim: RunningSimulator;
  let eu: AccountInfo;
  let t: string;
  let pc: string;
  const setGraph = (body: unknown) => http(`${sim.url}/_sim/graph/eu`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const exportOf = async (path: ExportPath, body: unknown): Promise<Manifest> => (await waitDone(sim.url, await startExport(eu, t, path, body), t)).json.resourceLocation;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, retireV1: false, seed: 42, now: NOW, graphDelaySeconds: 0 });
    eu = ((await http(`${sim.url}/_sim/accounts`)).json.items as AccountInfo[]).find((x) => x.id === 'eu')!;
    t = await graphToken(eu);
    pc = await getToken(eu);
  });
  afterEach(() => http(`${sim.url}/_sim/graph/eu`, { method: 'DELETE' }));
  afterAll(() => sim.close());

  it('serves gzip JSON lines as Azure serves a .json.gz blob', async () => {
    const m = await exportOf('usage/unbilled/export', { currencyCode: 'EUR', billingPeriod: 'current', attributeSet: 'full' });
    const first = await blobLines(blobUrl(m, 0));
    const h = first.resp.headers;
    expect(h.get('content-type')).toBe('application/octet-stream');
    expect(h.get('content-encoding')).toBeNull();
    expect(h.get('x-ms-request-id')).toBeTruthy();
    expect(h.get('x-ms-version')).toBe('2021-08-06');
    expect(first.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    // The first read streams (chunked); once the size is known it is sent as Content-Length.
    expect(h.get('content-length')).toBeNull();
    const again = await blobLines(blobUrl(m, 0));
    expect(again.resp.headers.get('content-length')).toBe(String(first.raw.length));
    expect(again.raw.equals(first.raw)).toBe(true);
  });

  it('unbilled usage (full and basic) = v1 current period, line for line, exact tokens', async () => {
    const v1 = await fetchAllUsage(eu, pc, 'current', 2000);
    const full = await allLines(await exportOf('usage/unbilled/export', { currencyCode: 'EUR', billingPeriod: 'current', attributeSet: 'full' }));
    const basic = await allLines(await exportOf('usage/unbilled/export', { currencyCode: 'EUR', billingPeriod: 'current', attributeSet: 'basic' }));
    expect(full.length).toBe(v1.items.length);
    expect(basic.length).toBe(v1.items.length);
    expect(USAGE_FULL_FIELDS.length).toBe(55);
    expect(Object.keys(JSON.parse(full[0]))).toEqual([...USAGE_FULL_FIELDS]);
    expect(Object.keys(JSON.parse(basic[0]))).toEqual([...USAGE_BASIC_FIELDS]);
    const text = full.join('\n');
    expect(rawNumbers(text, 'BillingPreTaxTotal')).toEqual(v1.billingRaw);
    expect(rawNumbers(text, 'PricingPreTaxTotal')).toEqual(v1.pricingRaw);
    expect(rawNumbers(basic.join('\n'), 'BillingPreTaxTotal')).toEqual(v1.billingRaw);
    const renames: Record<string, string> = { Tier2MpnId: 'resellerMpnId', Unit: 'unitOfMeasure', ResourceURI: 'resourceUri', PartnerEarnedCreditPercentage: 'rateOfPartnerEarnedCredit', CreditPercentage: 'rateOfCredit', PCToBCExchangeRate: 'pcToBCExchangeRate', PCToBCExchangeRateDate: 'pcToBCExchangeRateDate' };
    for (let i = 0; i < full.length; i += 97) {
      const g = JSON.parse(full[i]);
      const v = v1.items[i];
      for (const f of USAGE_FULL_FIELDS) expect({ i, f, v: g[f] }).toEqual({ i, f, v: v[renames[f] ?? f[0].toLowerCase() + f.slice(1)] });
    }
  });

  it('billed usage of an invoice = v1 billed usage, and its sum = ground truth to the cent', async () => {
    const v1 = await v1All(eu, pc, `/invoices/${INVOICE}/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=eur&period=previous&size=2000`);
    const lines = await allLines(await exportOf('usage/billed/export', { invoiceId: INVOICE, attributeSet: 'full' }));
    expect(lines.length).toBe(v1.items.length);
    expect(rawNumbers(lines.join('\n'), 'BillingPreTaxTotal')).toEqual(rawNumbers(v1.text, 'billingPreTaxTotal'));
    expect(new Set(lines.map((l) => JSON.parse(l).InvoiceNumber))).toEqual(new Set([INVOICE]));
    const gt = (await http(`${sim.url}/_sim/ground-truth?account=eu&from=2026-10-01&to=2026-10-31&groupBy=invoice`)).json;
    const row = gt.rows.find((r: { keys: { invoice: string } }) => r.keys.invoice === INVOICE);
    expect(sumRaw(rawNumbers(lines.join('\n'), 'BillingPreTaxTotal')).toFixed()).toBe(new Dec(row.amount).toFixed());
    expect(row.lineItems).toBe(lines.length);
  });

  it('unbilled current and last sums = ground truth (last = the previous month)', async () => {
    const cur = await allLines(await exportOf('usage/unbilled/export', { currencyCode: 'EUR', billingPeriod: 'current', attributeSet: 'basic' }));
    const gtCur = (await http(`${sim.url}/_sim/ground-truth?account=eu&from=2026-11-01&to=2026-11-30`)).json;
    expect(sumRaw(rawNumbers(cur.join('\n'), 'BillingPreTaxTotal')).toFixed()).toBe(new Dec(gtCur.total).toFixed());
    const last = await allLines(await exportOf('usage/unbilled/export', { currencyCode: 'EUR', billingPeriod: 'last', attributeSet: 'full' }));
    const gtLast = (await http(`${sim.url}/_sim/ground-truth?account=eu&from=2026-10-01&to=2026-10-31`)).json;
    expect(sumRaw(rawNumbers(last.join('\n'), 'BillingPreTaxTotal')).toFixed()).toBe(new Dec(gtLast.total).toFixed());
    expect(last.every((l) => JSON.parse(l).InvoiceNumber === '')).toBe(true);
  });

  it('reconciliation billed / unbilled = v1 billing line items in PascalCase', async () => {
    const cases: [ExportPath, unknown, string][] = [
      ['reconciliation/billed/export', { invoiceId: INVOICE, attributeSet: 'full' }, `/invoices/${INVOICE}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size=2000`],
      ['reconciliation/unbilled/export', { currencyCode: 'EUR', billingPeriod: 'current', attributeSet: 'full' }, `/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=eur&period=current&size=2000`],
    ];
    for (const [path, body, v1Path] of cases) {
      const lines = (await allLines(await exportOf(path, body))).map((l) => JSON.parse(l));
      const v1 = (await v1All(eu, pc, v1Path)).items;
      expect(lines.length).toBe(v1.length);
      expect(lines.length).toBeGreaterThan(0);
      lines.forEach((g, i) => {
        expect(Object.keys(g)).toEqual([...RECON_FIELDS]);
        expect(g).toMatchObject({ CustomerId: v1[i].customerId, InvoiceNumber: v1[i].invoiceNumber, Subtotal: v1[i].subtotal, Total: v1[i].totalForCustomer, Currency: 'EUR', PCToBCExchangeRate: v1[i].pcToBCExchangeRate });
      });
    }
  });

  it('splits an export above linesPerBlob; the blobs together = one blob', async () => {
    const body = { currencyCode: 'EUR', billingPeriod: 'current', attributeSet: 'basic' };
    const whole = await allLines(await exportOf('usage/unbilled/export', body));
    await setGraph({ linesPerBlob: 500, delaySeconds: 0 });
    const m = await exportOf('usage/unbilled/export', body);
    expect(m.blobCount).toBe(Math.ceil(whole.length / 500));
    expect(m.blobs.length).toBe(m.blobCount);
    expect(new Set(m.blobs.map((b) => b.name)).size).toBe(m.blobCount);
    const parts = [];
    for (let i = 0; i < m.blobCount; i++) {
      const l = (await blobLines(blobUrl(m, i))).lines;
      if (i < m.blobCount - 1) expect(l.length).toBe(500);
      parts.push(...l);
    }
    expect(parts).toEqual(whole);
  });

  it('SAS: expired after 1 h of simulated time, bad signature and missing blob answer like storage', async () => {
    const op = await startExport(eu, t, 'reconciliation/billed/export', { invoiceId: INVOICE, attributeSet: 'full' });
    const m: Manifest = (await gget(op, t)).json.resourceLocation;
    const se = new URLSearchParams(m.sasToken).get('se')!;
    expect(Date.parse(se)).toBe(NOW.getTime() + 3_600_000 + (Date.parse((await http(`${sim.url}/_sim/clock`)).json.now) - NOW.getTime()));
    const bad = await http(`${m.rootDirectory}/${m.blobs[0].name}?${m.sasToken.replace(/sig=[^&]+/, 'sig=AAAA')}`);
    expect(bad.status).toBe(403);
    expect(bad.text).toContain('<Code>AuthenticationFailed</Code>');
    const otherDir = await http(`${m.rootDirectory.replace('InvoiceId=G615202610', 'InvoiceId=G615202609')}/${m.blobs[0].name}?${m.sasToken}`);
    expect(otherDir.status).toBe(403);
    const missing = await http(`${m.rootDirectory}/${m.blobs[0].name.replace('part-00000', 'part-00001')}?${m.sasToken}`);
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<Code>BlobNotFound</Code>');
    await http(`${sim.url}/_sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: 'PT61M' }) });
    const expired = await http(blobUrl(m, 0));
    expect(expired.status).toBe(403);
    expect(expired.headers.get('content-type')).toBe('application/xml');
    expect(expired.text).toContain('<Code>AuthenticationFailed</Code>');
    // Reading the operation again mints a fresh SAS.
    const fresh: Manifest = (await gget(op, t)).json.resourceLocation;
    expect((await blobLines(blobUrl(fresh, 0))).lines.length).toBeGreaterThan(0);
  });

  it('Range: bytes=a-b → 206 with that slice of the gzip', async () => {
    const m = await exportOf('usage/billed/export', { invoiceId: INVOICE, attributeSet: 'basic' });
    const whole = (await blobLines(blobUrl(m, 0))).raw;
    const r = await fetch(blobUrl(m, 0), { headers: { Range: 'bytes=100-1099' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe(`bytes 100-1099/${whole.length}`);
    expect(Buffer.from(await r.arrayBuffer()).equals(whole.subarray(100, 1100))).toBe(true);
    const tail = await fetch(blobUrl(m, 0), { headers: { Range: `bytes=${whole.length - 10}-` } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(whole.length - 10))).toBe(true);
  });
});

describe('Graph export blobs stream', () => {
  it('sends the first bytes of a large blob long before the whole of it exists', async () => {
    const sim = await startSimulator({ port: 0, retireV1: false, seed: 42, now: NOW, profile: 'scale', scaleItemsPerDay: 4000, graphDelaySeconds: 0 });
    try {
      const a = ((await http(`${sim.url}/_sim/accounts`)).json.items as AccountInfo[]).find((x) => x.id === 'scale')!;
      const t = await graphToken(a);
      const m: Manifest = (await gget(await startExport(a, t, 'usage/unbilled/export', { currencyCode: 'USD', billingPeriod: 'current', attributeSet: 'full' }), t)).json.resourceLocation;
      expect(m.blobCount).toBe(1);
      const started = Date.now();
      const { headers, firstChunkMs } = await new Promise<{ headers: Record<string, unknown>; firstChunkMs: number }>((resolve, reject) => {
        const req = request(blobUrl(m, 0), (res) => {
          res.once('data', () => {
            resolve({ headers: res.headers, firstChunkMs: Date.now() - started });
            req.destroy();
          });
        });
        req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
        req.end();
      });
      expect(headers['transfer-encoding']).toBe('chunked');
      expect(headers['content-length']).toBeUndefined();
      expect(firstChunkMs).toBeLessThan(3000);
    } finally {
      await sim.close();
    }
  });
});
