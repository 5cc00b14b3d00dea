import { gzipSync } from 'node:zlib';
import { FakeGraph, GRAPH_TENANT, graphUsageLine, usageLines } from '../../test/fake-graph';
import { FakePartnerCenter, rawCollection, usageLineItemJson } from '../../test/fake-partner-center';
import { PartnerCenterClient, PartnerCenterError, type GraphBatch, type GraphExportProgress, type LogEvent, type PartnerCenterClientOptions } from '../index';

const SECRET = 'S3cr3t~graph-secret.that-must.never-leak_42';
const APP_ID = 'app-0000-1111';

describe('Graph billing export (against a local fake Graph + blob storage)', () => {
  let graph: FakeGraph;
  let pc: FakePartnerCenter;
  let waits: number[];
  let logs: LogEvent[];

  beforeEach(async () => {
    graph = await new FakeGraph().start();
    pc = await new FakePartnerCenter().start();
    waits = [];
    logs = [];
  });
  afterEach(async () => {
    await graph.stop();
    await pc.stop();
  });

  function client(graphOverrides: Partial<NonNullable<PartnerCenterClientOptions['graph']>> = {}, overrides: Partial<PartnerCenterClientOptions> = {}): PartnerCenterClient {
    return new PartnerCenterClient({
      baseUrl: pc.baseUrl,
      tokenUrl: pc.tokenUrl,
      resource: 'https://api.partnercenter.microsoft.com',
      appId: APP_ID,
      secret: SECRET,
      timeoutMs: 2000,
      retryBaseMs: 10,
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
      log: (e) => logs.push(e),
      graph: { baseUrl: graph.baseUrl, tokenUrl: graph.tokenUrl, pollIntervalMs: 5000, ...graphOverrides },
      ...overrides,
    });
  }

  async function collect<T>(gen: AsyncGenerator<GraphBatch<T>>): Promise<GraphBatch<T>[]> {
    const out: GraphBatch<T>[] = [];
    for await (const b of gen) out.push(b);
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

  const billed = { kind: 'billed', invoiceId: 'G000123456' } as const;
  const meterKeys = (batches: GraphBatch<{ meterId: string }>[]) => batches.flatMap((b) => b.items.map((i) => i.meterId));

  function expectEachOnce(keys: string[], count: number): void {
    expect(keys).toHaveLength(count);
    expect(new Set(keys).size).toBe(count);
  }

  it('maps the §5.5 PascalCase sample line to the same model as the v1 line item, amounts exact', async () => {
    graph.setBlobs({ 'part-00000.c000.json.gz': `${JSON.stringify(graphUsageLine(1))}\n` });
    const [batch] = await collect(client().graphUsageExport(billed));
    expect(batch!.invalid).toEqual([]);
    const item = batch!.items[0]!;
    expect(item).toMatchObject({
      partnerId: '3f1c0000-0000-4000-8000-000000000001',
      resellerMpnId: '',
      unitOfMeasure: '1 Hour',
      resourceUri: '/subscriptions/0c1d/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm1',
      unitPrice: '0.115',
      quantity: '24',
      billingPreTaxTotal: '2.2',
      pcToBCExchangeRate: '0.7971',
      rateOfPartnerEarnedCredit: '0',
      rateOfCredit: '0',
      benefitOrderId: '',
      hasPartnerEarnedCredit: null,
    });
    // Same keys in the same order as a v1 item validated by the same schema.
    const v1 = new PartnerCenterClient({ baseUrl: pc.baseUrl, tokenUrl: pc.tokenUrl, resource: 'r', appId: APP_ID, secret: SECRET });
    pc.on('/v1/invoices/G1/lineitems', { raw: rawCollection([usageLineItemJson()]) });
    const v1Item = (await v1.billedUsage({ invoiceId: 'G1', currency: 'EUR' }).next()).value!.items[0]!;
    expect(Object.keys(item)).toEqual(Object.keys(v1Item).filter((k) => k !== 'attributes'));

    const form = new URLSearchParams(graph.tokenRequests[0]!.body);
    expect(Object.fromEntries(form)).toEqual({ grant_type: 'client_credentials', client_id: APP_ID, client_secret: SECRET, scope: 'https://graph.microsoft.com/.default' });
    expect(JSON.parse(graph.exportRequests[0]!.body)).toEqual({ invoiceId: 'G000123456', attributeSet: 'full' });
    expect(graph.exportRequests[0]!.pathname).toBe('/v1.0/reports/partners/billing/usage/billed/export');
    // The Graph token goes to Graph only; the Partner Center token to Partner Center only.
    expect(graph.requests.every((r) => r.headers.authorization === `Bearer ${graph.issuedTokens[0]}`)).toBe(true);
    expect(pc.apiRequests().every((r) => r.headers.authorization === `Bearer ${pc.issuedTokens[0]}`)).toBe(true);
  });

  it('keeps numbers sent as strings or with 20 decimals exact, keys in any case', async () => {
    const line = JSON.stringify(graphUsageLine(1, { UnitPrice: '0.09600000000000000001', Quantity: '1e2' })).replace('"BenefitOrderId"', '"BenefitOrderID"');
    const raw = line.replace('"EffectiveUnitPrice":0.115', '"effectiveunitprice":0.12345678901234567891');
    graph.setBlobs({ 'a.json.gz': `${raw}\n` });
    const [batch] = await collect(client().graphUsageExport(billed));
    expect(batch!.items[0]).toMatchObject({ unitPrice: '0.09600000000000000001', quantity: '100', effectiveUnitPrice: '0.12345678901234567891', benefitOrderId: '' });
  });

  it('tolerates a BOM, CRLF, blank lines and a last line without newline; a malformed line is invalid with its reason', async () => {
    const [a, b, c] = [1, 2, 3].map((n) => JSON.stringify(graphUsageLine(n)));
    graph.setBlobs({ 'a.json.gz': `\uFEFF${a}\r\n\r\n   \n{"PartnerId": "x", broken\r\n${b}\n\n${c}` });
    const [batch] = await collect(client().graphUsageExport(billed));
    expect(batch!.items.map((i) => i.meterId.slice(-1))).toEqual(['1', '2', '3']);
    expect(batch!.invalid).toHaveLength(1);
    expect(batch!.invalid[0]!.record).toBe('{"PartnerId": "x", broken');
    expect(batch!.invalid[0]!.reason).toMatch(/^blob a\.json\.gz line 2: not valid JSON/);
  });

  it('a line that parses but fails the schema is invalid with the schema reason', async () => {
    graph.setBlobs({ 'a.json.gz': `${JSON.stringify(graphUsageLine(1, { UnitPrice: 'abc' }))}\n${JSON.stringify(graphUsageLine(2))}\n` });
    const [batch] = await collect(client().graphUsageExport(billed));
    expect(batch!.items).toHaveLength(1);
    expect(batch!.invalid[0]!.reason).toContain('unitPrice');
  });

  it('reads a manifest behind its navigation link, accepts "completed", and batches across blobs with checkpoints', async () => {
    graph.manifestMode = 'link';
    graph.successStatus = 'completed';
    graph.setBlobs({ 'p0.json.gz': usageLines(0, 5), 'p1.json.gz': usageLines(5, 4) });
    const progress: GraphExportProgress[] = [];
    const batches = await collect(client({ batchSize: 3 }).graphUsageExport({ kind: 'unbilled', currency: 'eur', period: 'last' }, { onProgress: (p) => progress.push(p) }));
    expect(progress.at(-1)).toEqual({ phase: 'downloading', blobsDone: 2, blobCount: 2, lines: 9, bytes: (graph.blobs.get('p0.json.gz') as Buffer).length + (graph.blobs.get('p1.json.gz') as Buffer).length });
    expect(progress[0]).toEqual({ phase: 'downloading', blobsDone: 0, blobCount: 2, lines: 0, bytes: 0 });
    expect(JSON.parse(graph.exportRequests[0]!.body)).toEqual({ currencyCode: 'EUR', billingPeriod: 'last', attributeSet: 'full' });
    expect(batches.map((b) => b.items.length)).toEqual([3, 3, 3]);
    expect(batches.map((b) => [b.checkpoint.blobIndex, b.checkpoint.lineInBlob])).toEqual([
      [0, 3],
      [1, 1],
      [1, 4],
    ]);
    expect(batches.map((b) => b.pageNumber)).toEqual([1, 2, 3]);
    expect(batches[0]!.checkpoint.eTag).toBe('etag-1');
    expectEachOnce(meterKeys(batches), 9);
  });

  it('honours Retry-After of the 202 and while running, reports progress, and ends with no batch on failed 5000', async () => {
    graph.onOperation = ({ id, poll }) =>
      poll <= 2
        ? { headers: { 'Retry-After': '7' }, json: { id, status: poll === 1 ? 'notStarted' : 'running', createdDateTime: '2026-11-02T08:00:00' } }
        : { json: { '@odata.type': '#microsoft.graph.partners.billing.failedOperation', id, status: 'failed', error: { code: '5000', message: 'No data available' } } };
    graph.exportRetryAfter = '4';
    const progress: GraphExportProgress[] = [];
    const batches = await collect(client().graphUsageExport(billed, { onProgress: (p) => progress.push(p) }));
    expect(batches).toEqual([]);
    expect(waits).toEqual([4000, 7000, 7000]);
    expect(progress).toEqual([
      { phase: 'exporting', operationStatus: 'notStarted', polls: 1, elapsedMs: expect.any(Number) },
      { phase: 'exporting', operationStatus: 'running', polls: 2, elapsedMs: expect.any(Number) },
    ]);
    expect(graph.operationCount).toBe(1);
  });

  it('429 on the poll honours Retry-After and retries', async () => {
    graph.setBlobs({ 'a.json.gz': usageLines(0, 2) });
    graph.onOperation = ({ poll }) => (poll === 1 ? { status: 429, headers: { 'Retry-After': '3' }, json: { error: { code: 'TooManyRequests', message: 'throttled' } } } : undefined);
    const batches = await collect(client().graphUsageExport(billed));
    expect(batches[0]!.items).toHaveLength(2);
    expect(waits).toContain(3000);
  });

  it('starts a new export after maxPollMs, and fails clearly after maxExports', async () => {
    graph.setBlobs({ 'a.json.gz': usageLines(0, 2) });
    graph.onOperation = ({ id, exportNumber }) => (exportNumber === 1 ? { json: { id, status: 'running' } } : undefined);
    const batches = await collect(client({ pollIntervalMs: 1000, maxPollMs: 5000 }).graphUsageExport(billed));
    expect(graph.operationCount).toBe(2);
    expect(batches[0]!.items).toHaveLength(2);
    expect(batches[0]!.restarted).toBe(false);

    graph.onOperation = ({ id }) => ({ json: { id, status: 'failed', error: { code: '7000', message: 'internal' } } });
    const err = await failure(collect(client({ maxExports: 2 }).graphUsageExport(billed)));
    expect(err.kind).toBe('export');
    expect(err.description).toMatch(/after 2 export\(s\): operation failed \(code 7000: internal\)/);
  });

  it('expired SAS mid-blob: re-reads the operation for a fresh SAS and resumes with no lost or repeated line', async () => {
    graph.setBlobs({ 'p0.json.gz': usageLines(0, 3000), 'p1.json.gz': usageLines(3000, 1000) });
    const size = (graph.blobs.get('p0.json.gz') as Buffer).length;
    graph.onBlob = (name, attempt) => {
      if (name === 'p0.json.gz' && attempt === 1) {
        // The connection breaks mid-blob and the SAS has expired meanwhile: the next GET with it is 403.
        graph.expireAllSas();
        return { kind: 'cut', afterBytes: Math.floor(size / 2) };
      }
      return { kind: 'ok' };
    };
    const seen: number[] = [];
    const c = client({ batchSize: 500 });
    const batches: GraphBatch<{ meterId: string }>[] = [];
    for await (const b of c.graphUsageExport(billed)) {
      batches.push(b);
      seen.push(graph.operationCount);
    }
    expectEachOnce(meterKeys(batches), 4000);
    expect(batches.every((b) => !b.restarted)).toBe(true);
    expect(graph.operationCount).toBe(1);
    expect(graph.blobGets.get('p0.json.gz')).toBe(2);
    // The SAS signature never reaches a log event.
    expect(JSON.stringify(logs)).not.toMatch(/c2lnbmF0dXJl/);
    expect(JSON.stringify(logs)).not.toContain(SECRET);
    expect(logs.some((l) => l.msg.includes('fresh SAS'))).toBe(true);
  });

  it('a 403 AuthorizationFailure on a later blob: fresh SAS, continues', async () => {
    graph.setBlobs({ 'p0.json.gz': usageLines(0, 10), 'p1.json.gz': usageLines(10, 10) });
    graph.onBlob = (name, attempt) => (name === 'p1.json.gz' && attempt === 1 ? { kind: 'status', status: 403, code: 'AuthorizationFailure' } : { kind: 'ok' });
    const batches = await collect(client({ batchSize: 4 }).graphUsageExport(billed));
    expectEachOnce(meterKeys(batches), 20);
  });

  it('truncated gzip: re-reads and resumes with no lost or repeated line', async () => {
    graph.setBlobs({ 'p0.json.gz': usageLines(0, 3000) });
    const size = (graph.blobs.get('p0.json.gz') as Buffer).length;
    graph.onBlob = (_name, attempt) => (attempt <= 2 ? { kind: 'truncated', bytes: Math.floor((size * attempt) / 3) } : { kind: 'ok' });
    const batches = await collect(client({ batchSize: 700 }).graphUsageExport(billed));
    expectEachOnce(meterKeys(batches), 3000);
    expect(graph.blobGets.get('p0.json.gz')).toBe(3);
  });

  it('eTag changed after a failure: new export, restarted from the first blob', async () => {
    graph.setBlobs({ 'p0.json.gz': usageLines(0, 1000), 'p1.json.gz': usageLines(1000, 1000) });
    graph.onBlob = (name, attempt) => {
      if (name === 'p1.json.gz' && attempt === 1) {
        graph.eTag = 'etag-2';
        return { kind: 'status', status: 403, code: 'AuthenticationFailed' };
      }
      return { kind: 'ok' };
    };
    const batches = await collect(client({ batchSize: 400 }).graphUsageExport(billed));
    const restartAt = batches.findIndex((b) => b.restarted);
    expect(restartAt).toBeGreaterThan(0);
    expect(batches.filter((b) => b.restarted)).toHaveLength(1);
    expectEachOnce(meterKeys(batches.slice(restartAt)), 2000);
    expect(batches[restartAt]!.checkpoint.eTag).toBe('etag-2');
    expect(graph.operationCount).toBe(2);
  });

  it('resumes from a caller checkpoint; a stale checkpoint (404 or other eTag) restarts', async () => {
    graph.setBlobs({ 'p0.json.gz': usageLines(0, 10), 'p1.json.gz': usageLines(10, 10) });
    const c = client({ batchSize: 6 });
    const firstRead = c.graphUsageExport(billed);
    const first = await firstRead.next();
    await firstRead.return(undefined); // the caller stopped (e.g. the worker restarted)
    const checkpoint = first.value!.checkpoint;
    expect(checkpoint).toEqual({ operationUrl: expect.stringContaining('/operations/op-1'), eTag: 'etag-1', blobIndex: 0, lineInBlob: 6 });

    const rest = await collect(c.graphUsageExport(billed, { checkpoint }));
    expect(rest[0]!.restarted).toBe(false);
    expectEachOnce([...meterKeys([first.value!]), ...meterKeys(rest)], 20);
    expect(graph.operationCount).toBe(1); // the resume re-read op-1 and started no export

    graph.eTag = 'etag-9';
    const again = await collect(c.graphUsageExport(billed, { checkpoint }));
    expect(again[0]!.restarted).toBe(true);
    expectEachOnce(meterKeys(again), 20);

    const gone = await collect(c.graphUsageExport(billed, { checkpoint: { ...checkpoint, operationUrl: `${graph.baseUrl}/reports/partners/billing/operations/nope` } }));
    expect(gone[0]!.restarted).toBe(true);
    expectEachOnce(meterKeys(gone), 20);
  });

  it('missing permission: a 403 on the export names the permission, the app and the tenant', async () => {
    graph.hasPermission = false;
    const c = client();
    const err = await failure(collect(c.graphUsageExport(billed)));
    expect(err.kind).toBe('permission');
    expect(err.status).toBe(403);
    expect(err.description!.startsWith(`grant PartnerBilling.Read.All (application) to app ${APP_ID} in tenant ${GRAPH_TENANT}`)).toBe(true);
    expect(err.description).toContain('Missing role permissions');
    const check = await failure(c.checkGraphAccess());
    expect(check.kind).toBe('permission');
    expect(check.description).toBe(`grant PartnerBilling.Read.All (application) to app ${APP_ID} in tenant ${GRAPH_TENANT} (Graph: Forbidden: Missing role permissions on the request. API requires one of PartnerBilling.Read.All.)`);
  });

  it('checkGraphAccess: 404 on an unknown operation means access is fine', async () => {
    const c = client();
    expect(c.hasGraph).toBe(true);
    await expect(c.checkGraphAccess()).resolves.toBeUndefined();
    expect(graph.requests[0]!.pathname).toMatch(/^\/v1\.0\/reports\/partners\/billing\/operations\/[0-9a-f-]{36}$/);
    expect(client({}, { graph: undefined }).hasGraph).toBe(false);
  });

  it('401 on Graph refreshes the Graph token once', async () => {
    graph.setBlobs({ 'a.json.gz': usageLines(0, 1) });
    const c = client();
    await c.checkGraphAccess();
    graph.issuedTokens.splice(0); // revoke every token issued so far
    const batches = await collect(c.graphUsageExport(billed));
    expect(batches[0]!.items).toHaveLength(1);
    expect(graph.tokenRequests).toHaveLength(2);
  });

  it('4 concurrent exports holding the same revoked Graph token: one token request', async () => {
    graph.setBlobs({ 'a.json.gz': usageLines(0, 1) });
    const c = client();
    await c.checkGraphAccess();
    graph.issuedTokens.splice(0);
    const exports = await Promise.all(Array.from({ length: 4 }, () => collect(c.graphUsageExport(billed))));
    for (const batches of exports) expect(batches[0]!.items).toHaveLength(1);
    expect(graph.tokenRequests).toHaveLength(2);
  });

  it('reconciliation lines map Total → totalForCustomer and validate with the v1 billing line item schema', async () => {
    const line = {
      PartnerId: 'p', CustomerId: 'c1', CustomerName: 'Contoso', InvoiceNumber: 'G000123456', OrderId: 'o1', ProductId: 'CFQ7TTC0LF8R', ProductName: 'Microsoft 365 E3',
      SkuName: 'E3', ChargeType: 'new', SubscriptionId: 's1', SubscriptionDescription: 'M365', Subtotal: 0, TaxTotal: '0', Total: 36,
      Currency: 'EUR', AlternateId: 'a1', ChargeStartDate: '2026-10-01T00:00:00', ChargeEndDate: '2026-10-31T00:00:00',
    };
    graph.setBlobs({ 'r.json.gz': `${JSON.stringify(line).replace('"Subtotal":0', '"Subtotal":36.0000000000000000001')}\n` });
    const [batch] = await collect(client().graphReconciliationExport(billed));
    expect(graph.exportRequests[0]!.pathname).toBe('/v1.0/reports/partners/billing/reconciliation/billed/export');
    expect(batch!.invalid).toEqual([]);
    expect(batch!.items[0]).toMatchObject({ customerId: 'c1', subtotal: '36.0000000000000000001', totalForCustomer: '36', taxTotal: '0', currency: 'EUR', orderId: 'o1' });
  });

  it('a gzip blob served whole is read even when the body comes in many small chunks', async () => {
    const gz = gzipSync(Buffer.from(usageLines(0, 50)));
    graph.blobs.set('slow.json.gz', (res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      let at = 0;
      const step = () => {
        if (at >= gz.length) return void res.end();
        res.write(gz.subarray(at, at + 97));
        at += 97;
        setImmediate(step);
      };
      step();
    });
    const batches = await collect(client({ batchSize: 7 }).graphUsageExport(billed));
    expectEachOnce(meterKeys(batches), 50);
  });
});
