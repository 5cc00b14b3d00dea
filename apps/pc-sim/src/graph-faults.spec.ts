/** Graph export faults (PUT /_sim/faults/{A}): graph429, exportFailed, sasExpired, truncatedGzip, malformed in blobs. */
import { gunzipSync } from 'node:zlib';
import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { Dec, ZERO } from './money';
import { getToken, http, pcGet } from './testing/helpers';
import { allLines, blobLines, blobUrl, gget, gpost, graphToken, startExport, waitDone, type Manifest } from './testing/graph-helpers';

describe('Graph export faults', () => {
  let sim: RunningSimulator;
  let eu: AccountInfo;
  let t: string;
  const faults = (body: unknown) => http(`${sim.url}/_sim/faults/eu`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const log = async () => (await http(`${sim.url}/_sim/faults/eu/log`)).json.injected;
  const unbilled = { currencyCode: 'EUR', billingPeriod: 'current', attributeSet: 'full' };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: new Date('2026-11-25T12:00:00Z'), graphDelaySeconds: 0 });
    eu = ((await http(`${sim.url}/_sim/accounts`)).json.items as AccountInfo[]).find((x) => x.id === 'eu')!;
    t = await graphToken(eu);
  });
  afterEach(() => Promise.all([http(`${sim.url}/_sim/faults/eu`, { method: 'DELETE' }), http(`${sim.url}/_sim/graph/eu`, { method: 'DELETE' })]));
  afterAll(() => sim.close());

  it('graph429: 429 + Retry-After with a Graph error on POST and on polling; v1 untouched', async () => {
    await faults({ rate: 0, kinds: ['graph429'] });
    const op = await startExport(eu, t, 'usage/unbilled/export', unbilled);
    expect((await faults({ rate: 1, kinds: ['graph429'], retryAfterSeconds: 2 })).status).toBe(200);
    const post = await gpost(`${eu.graphBaseUrl}/reports/partners/billing/usage/unbilled/export`, t, unbilled);
    expect(post.status).toBe(429);
    expect(post.headers.get('retry-after')).toBe('2');
    expect(post.json.error.code).toBe('TooManyRequests');
    const poll = await gget(op, t);
    expect(poll.status).toBe(429);
    expect(poll.json.error.code).toBe('TooManyRequests');
    expect((await pcGet(`${eu.baseUrl}/v1/customers`, await getToken(eu))).status).toBe(200);
    expect(await log()).toEqual({ graph429: 2 });
  });

  it('graph429 is drawn reproducibly from the seed at a partial rate', async () => {
    const run = async () => {
      await faults({ rate: 0.5, kinds: ['graph429'] });
      const statuses = [];
      for (let i = 0; i < 12; i++) statuses.push((await gpost(`${eu.graphBaseUrl}/reports/partners/billing/usage/unbilled/export`, t, unbilled)).status);
      return statuses;
    };
    const a = await run();
    expect(a).toContain(429);
    expect(a).toContain(202);
    expect(await run()).toEqual(a);
  });

  it('exportFailed: the first export of a key fails with 5001, a new export of it succeeds', async () => {
    await faults({ rate: 1, kinds: ['exportFailed'] });
    const first = await waitDone(sim.url, await startExport(eu, t, 'usage/unbilled/export', unbilled), t);
    expect(first.json).toMatchObject({ status: 'failed', error: { code: '5001' } });
    const second = await waitDone(sim.url, await startExport(eu, t, 'usage/unbilled/export', unbilled), t);
    expect(second.json.status).toBe('succeeded');
    const otherKey = await waitDone(sim.url, await startExport(eu, t, 'reconciliation/unbilled/export', unbilled), t);
    expect(otherKey.json.error.code).toBe('5001');
    expect(await log()).toEqual({ exportFailed: 2 });
  });

  it('sasExpired: the SAS stops working after the first blob; a re-read of the operation gives one that works', async () => {
    await http(`${sim.url}/_sim/graph/eu`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ linesPerBlob: 500, delaySeconds: 0 }) });
    await faults({ rate: 1, kinds: ['sasExpired'] });
    const op = await startExport(eu, t, 'usage/unbilled/export', unbilled);
    const m: Manifest = (await gget(op, t)).json.resourceLocation;
    expect(m.blobCount).toBeGreaterThan(2);
    expect((await blobLines(blobUrl(m, 0))).lines.length).toBe(500);
    const denied = await http(blobUrl(m, 1));
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('<Code>AuthenticationFailed</Code>');
    const fresh: Manifest = (await gget(op, t)).json.resourceLocation;
    expect(fresh.sasToken).not.toBe(m.sasToken);
    for (let i = 1; i < fresh.blobCount; i++) expect((await blobLines(blobUrl(fresh, i))).resp.status).toBe(200);
    expect(await log()).toEqual({ sasExpired: 1 });
  });

  it('truncatedGzip: the first read of a blob ends mid-gzip and the connection closes; a re-read is whole', async () => {
    await faults({ rate: 1, kinds: ['truncatedGzip'] });
    const m: Manifest = (await waitDone(sim.url, await startExport(eu, t, 'usage/unbilled/export', unbilled), t)).json.resourceLocation;
    let broken = false;
    try {
      const r = await fetch(blobUrl(m, 0));
      gunzipSync(Buffer.from(await r.arrayBuffer()));
    } catch {
      broken = true;
    }
    expect(broken).toBe(true);
    expect((await blobLines(blobUrl(m, 0))).lines.length).toBeGreaterThan(1000);
    expect(await log()).toEqual({ truncatedGzip: 1 });
  });

  it('malformed: the same items as v1 are broken in blobs; valid lines sum to ground truth and broken ones to its malformed part', async () => {
    await faults({ rate: 0.02, kinds: ['malformed'] });
    const lines = await allLines((await waitDone(sim.url, await startExport(eu, t, 'usage/unbilled/export', unbilled), t)).json.resourceLocation);
    let valid = ZERO;
    let bad = 0;
    for (const l of lines) {
      let o: Record<string, unknown> | null = null;
      try {
        o = JSON.parse(l);
      } catch {
        /* a broken JSON line */
      }
      if (!o || typeof o.BillingPreTaxTotal !== 'number' || typeof o.Quantity !== 'number' || !o.UsageDate) {
        bad++;
        continue;
      }
      valid = valid.plus(new Dec(/"BillingPreTaxTotal":(-?[0-9.eE+-]+)/.exec(l)![1]));
    }
    const gt = (await http(`${sim.url}/_sim/ground-truth?account=eu&from=2026-11-01&to=2026-11-30`)).json;
    expect(bad).toBeGreaterThan(0);
    expect(bad).toBe(gt.malformed.lineItems);
    expect(valid.toFixed()).toBe(new Dec(gt.total).toFixed());
    expect((await log()).malformed).toBe(bad);
  });
});
