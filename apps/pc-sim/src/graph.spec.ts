/** Graph billing export (partner-center-api.md §5.5, decision 0015): token rules, exports, operations, manifests. */
import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { getToken, http, pcGet, tokenRequest } from './testing/helpers';
import { claimsOf, gget, GRAPH_SCOPE, gpost, graphToken, startExport, waitDone } from './testing/graph-helpers';

const NOW = new Date('2026-11-25T12:00:00Z');

describe('Graph billing export', () => {
  let sim: RunningSimulator;
  let accounts: AccountInfo[];
  let eu: AccountInfo;
  const acct = (id: string) => accounts.find((x) => x.id === id)!;
  const setGraph = (id: string, body: unknown) => http(`${sim.url}/_sim/graph/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const advance = (advance: string) => http(`${sim.url}/_sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance }) });

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: NOW, graphDelaySeconds: 60 });
    accounts = (await http(`${sim.url}/_sim/accounts`)).json.items;
    eu = acct('eu');
  });
  afterEach(() => Promise.all(['eu', 'global-us'].map((id) => http(`${sim.url}/_sim/graph/${id}`, { method: 'DELETE' }))));
  afterAll(() => sim.close());

  it('lists Graph URLs for global-cloud accounts only', () => {
    for (const a of accounts) {
      if (a.cloud === 'global') {
        expect(a.graphBaseUrl).toBe(`${sim.url}/graph/${a.id}/v1.0`);
        expect(a.graphTokenUrl).toBe(`${sim.url}/login/global/${a.tenantId}/oauth2/v2.0/token`);
      } else {
        expect(a.graphBaseUrl).toBeUndefined();
        expect(a.graphTokenUrl).toBeUndefined();
      }
    }
  });

  describe('token rules', () => {
    it('issues a Graph token with aud graph and the PartnerBilling.Read.All role', async () => {
      const c = claimsOf(await graphToken(eu));
      expect(c.aud).toBe('https://graph.microsoft.com');
      expect(c.roles).toEqual(['PartnerBilling.Read.All']);
    });

    it('refuses the Graph scope outside the global cloud', async () => {
      for (const id of ['usgov', 'china', 'germany']) {
        const a = acct(id);
        const r = await tokenRequest(`${a.authority}/${a.tenantId}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: a.appId, client_secret: a.secret, scope: GRAPH_SCOPE });
        expect(r.status).toBe(400);
        expect(r.json.error).toBe('invalid_resource');
      }
      expect((await http(`${sim.url}/graph/usgov/v1.0/reports/partners/billing/usage/unbilled/export`, { method: 'POST' })).status).toBe(404);
    });

    it('accepts a Graph token only on the Graph surface of its own account', async () => {
      const graphEu = await graphToken(eu);
      const pcEu = await getToken(eu);
      const graphUs = await graphToken(acct('global-us'));
      const body = { currencyCode: 'EUR', billingPeriod: 'current', attributeSet: 'full' };
      const url = `${eu.graphBaseUrl}/reports/partners/billing/usage/unbilled/export`;
      for (const t of [pcEu, graphUs, 'not-a-token']) {
        const r = await gpost(url, t, body);
        expect(r.status).toBe(401);
        expect(r.json.error.code).toBe('InvalidAuthenticationToken');
      }
      expect((await http(url, { method: 'POST', body: JSON.stringify(body) })).status).toBe(401);
      const onPc = await pcGet(`${eu.baseUrl}/v1/customers`, graphEu);
      expect(onPc.status).toBe(401);
      expect(onPc.json.code).toBe(900401);
      expect((await gpost(url, graphEu, body)).status).toBe(202);
    });

    it('without PartnerBilling.Read.All: no role in the token and 403 naming the permission', async () => {
      await setGraph('eu', { permission: false });
      const t = await graphToken(eu);
      expect(claimsOf(t).roles).toBeUndefined();
      const r = await gpost(`${eu.graphBaseUrl}/reports/partners/billing/usage/billed/export`, t, { invoiceId: 'G000000000', attributeSet: 'full' });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('Forbidden');
      expect(r.json.error.message).toContain('PartnerBilling.Read.All');
      // A token minted while the permission was granted is refused too once it is withdrawn.
      await setGraph('eu', { permission: true });
      const granted = await graphToken(eu);
      await setGraph('eu', { permission: false });
      expect((await gget(`${eu.graphBaseUrl}/reports/partners/billing/operations/x.y`, granted)).status).toBe(403);
    });
  });

  describe('exports', () => {
    let t: string;
    beforeAll(async () => {
      t = await graphToken(eu);
    });

    it.each([
      ['usage/billed/export', { invoiceId: 'G615202610', attributeSet: 'full' }],
      ['usage/unbilled/export', { currencyCode: 'EUR', billingPeriod: 'last', attributeSet: 'basic' }],
      ['reconciliation/billed/export', { invoiceId: 'G615202610', attributeSet: 'full' }],
      ['reconciliation/unbilled/export', { currencyCode: 'eur', billingPeriod: 'current' }],
    ])('POST %s → 202, empty body, Location of an operation', async (path, body) => {
      const r = await gpost(`${eu.graphBaseUrl}/reports/partners/billing/${path}`, t, body);
      expect(r.status).toBe(202);
      expect(r.text).toBe('');
      expect(r.headers.get('location')).toMatch(new RegExp(`^${eu.graphBaseUrl!.replace(/[.]/g, '\\.')}/reports/partners/billing/operations/[\\w.-]+$`));
    });

    it.each([
      ['usage/billed/export', {}],
      ['usage/billed/export', 'not json'],
      ['usage/billed/export', { invoiceId: 'G1', attributeSet: 'everything' }],
      ['usage/unbilled/export', { currencyCode: 'EUR', billingPeriod: 'previous' }],
      ['usage/unbilled/export', { currencyCode: 'USD', billingPeriod: 'current' }],
      ['reconciliation/unbilled/export', { billingPeriod: 'current' }],
    ])('POST %s %j → 400 BadRequest', async (path, body) => {
      const r = await gpost(`${eu.graphBaseUrl}/reports/partners/billing/${path}`, t, body);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('BadRequest');
      expect(typeof r.json.error.message).toBe('string');
    });

    it('operation: notStarted → running → succeeded, Retry-After while pending', async () => {
      const op = await startExport(eu, t, 'usage/unbilled/export', { currencyCode: 'EUR', billingPeriod: 'current', attributeSet: 'full' });
      const r0 = await gget(op, t);
      expect(r0.status).toBe(200);
      expect(r0.json).toMatchObject({ '@odata.type': '#microsoft.graph.partners.billing.runningOperation', status: 'notStarted' });
      expect(Number(r0.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      await advance('PT30S');
      const r1 = await gget(op, t);
      expect(r1.json.status).toBe('running');
      expect(r1.headers.get('retry-after')).toBeTruthy();
      await advance('PT31S');
      const r2 = await gget(op, t);
      expect(r2.json).toMatchObject({ '@odata.type': '#microsoft.graph.partners.billing.exportSuccessOperation', status: 'succeeded' });
      expect(r2.headers.get('retry-after')).toBeNull();
      const m = r2.json.resourceLocation;
      expect(m).toMatchObject({ schemaVersion: '2', dataFormat: 'compressedJSON', partitionType: 'default', partnerTenantId: eu.tenantId, blobCount: 1 });
      expect(m.rootDirectory.startsWith(`${sim.url}/blob/eu/unbilledusagefastpath/`)).toBe(true);
      expect(m.sasToken).toMatch(/^(?!\?).*sv=[^&]+.*&se=[^&]+&sr=d&sp=rl.*&sig=/);
      expect(m.blobs[0].name).toMatch(/^part-00000-.*\.c000\.json\.gz$/);
    });

    it('completes on the wall clock when the simulated clock stands still', async () => {
      await setGraph('eu', { delaySeconds: 1 });
      const op = await startExport(eu, t, 'reconciliation/unbilled/export', { currencyCode: 'EUR', billingPeriod: 'current', attributeSet: 'full' });
      expect((await gget(op, t)).json.status).not.toBe('succeeded');
      await new Promise((r) => setTimeout(r, 1100));
      expect((await gget(op, t)).json.status).toBe('succeeded');
    });

    it('fails with 5000 for an unknown invoice', async () => {
      const op = await startExport(eu, t, 'usage/billed/export', { invoiceId: 'G999209901', attributeSet: 'full' });
      const r = await waitDone(sim.url, op, t);
      expect(r.json).toMatchObject({ '@odata.type': '#microsoft.graph.partners.billing.failedOperation', status: 'failed', error: { code: '5000' } });
    });

    it('link manifest: resourceLocation@odata.navigationLink → GET manifests/{id}', async () => {
      await setGraph('eu', { manifest: 'link', delaySeconds: 0 });
      const op = await startExport(eu, t, 'reconciliation/billed/export', { invoiceId: 'G615202610', attributeSet: 'full' });
      const r = await gget(op, t);
      expect(r.json.status).toBe('succeeded');
      expect(r.json.resourceLocation).toBeUndefined();
      const link = r.json['resourceLocation@odata.navigationLink'];
      expect(link).toMatch(/\/reports\/partners\/billing\/manifests\/[\w.-]+$/);
      const m = await gget(link, t);
      expect(m.status).toBe(200);
      expect(m.json).toMatchObject({ blobCount: 1, dataFormat: 'compressedJSON' });
      expect(m.json.rootDirectory).toContain('/blob/eu/billedreconfastpath/v1/');
    });

    it('operation ids are stateless: another simulator with the same seed answers them', async () => {
      await setGraph('eu', { delaySeconds: 0 });
      const op = await startExport(eu, t, 'usage/billed/export', { invoiceId: 'G615202610', attributeSet: 'full' });
      const other = await startSimulator({ port: 0, seed: 42, now: NOW });
      try {
        const path = new URL(op).pathname;
        const a2 = ((await http(`${other.url}/_sim/accounts`)).json.items as AccountInfo[]).find((x) => x.id === 'eu')!;
        const r = await gget(`${other.url}${path}`, await graphToken(a2));
        expect(r.json.status).toBe('succeeded');
        expect(r.json.resourceLocation.blobCount).toBe(1);
        const wrongSeed = await startSimulator({ port: 0, seed: 7, now: NOW });
        try {
          const a3 = ((await http(`${wrongSeed.url}/_sim/accounts`)).json.items as AccountInfo[]).find((x) => x.id === 'eu')!;
          expect((await gget(`${wrongSeed.url}${path}`, await graphToken(a3))).status).toBe(404);
        } finally {
          await wrongSeed.close();
        }
      } finally {
        await other.close();
      }
    });

    it('control API: GET / PUT / DELETE /_sim/graph/{A}', async () => {
      expect((await http(`${sim.url}/_sim/graph/eu`)).json.graph).toEqual({ permission: true, delaySeconds: 60, manifest: 'inline', linesPerBlob: 200000 });
      expect((await setGraph('eu', { linesPerBlob: 10, manifest: 'link' })).json.graph).toEqual({ permission: true, delaySeconds: 60, manifest: 'link', linesPerBlob: 10 });
      expect((await setGraph('eu', { linesPerBlob: 0 })).status).toBe(400);
      expect((await setGraph('eu', { manifest: 'url' })).status).toBe(400);
      expect((await setGraph('eu', { nope: 1 })).status).toBe(400);
      expect((await http(`${sim.url}/_sim/graph/eu`, { method: 'DELETE' })).json.graph.linesPerBlob).toBe(200000);
      expect((await http(`${sim.url}/_sim/graph/usgov`)).status).toBe(404);
      expect((await http(`${sim.url}/_sim/graph/nobody`)).status).toBe(404);
    });
  });

  it('fails with 5000 for an empty period (current, on the 1st)', async () => {
    const other = await startSimulator({ port: 0, seed: 42, now: new Date('2026-12-01T06:00:00Z'), graphDelaySeconds: 0 });
    try {
      const a = ((await http(`${other.url}/_sim/accounts`)).json.items as AccountInfo[]).find((x) => x.id === 'global-us')!;
      const t = await graphToken(a);
      for (const path of ['usage/unbilled/export', 'reconciliation/unbilled/export'] as const) {
        const r = await gget(await startExport(a, t, path, { currencyCode: 'USD', billingPeriod: 'current', attributeSet: 'full' }), t);
        expect(r.json).toMatchObject({ status: 'failed', error: { code: '5000', message: 'No data available' } });
      }
      const last = await gget(await startExport(a, t, 'usage/unbilled/export', { currencyCode: 'USD', billingPeriod: 'last', attributeSet: 'full' }), t);
      expect(last.json.status).toBe('succeeded');
    } finally {
      await other.close();
    }
  });
});
