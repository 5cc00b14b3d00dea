import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import type { AccountList, ApiError, BreakdownResponse, CostSummaryResponse } from '@meridian/contracts';
import { normalizeDecimal, sumDecimals } from '@meridian/finops';
import { startSimulator } from '@meridian/pc-sim';
import { apiConfigFromEnv } from './api.config';
import { createApiApp } from './bootstrap';
import { ApiSession } from './testing/api-session';

const NOW = new Date('2026-11-25T12:00:00Z');
const WINDOW = 'from=2026-10-01&to=2026-11-24';
const OWNER_PASSWORD = 'correct horse battery staple';

/**
 * The embedded mode end to end: simulator → in-process worker → SQLite → HTTP API, nothing mocked.
 */
describe('api in embedded mode against the simulator', () => {
  const savedEnv = { ...process.env };
  let sim: { url: string; close(): Promise<void> };
  let app: INestApplication;
  let base: string;
  let dataDir: string;

  let owner: ApiSession;
  const get = <T>(p: string) => owner.get<T>(p);
  const truth = async (account: string) =>
    (await (await fetch(`${sim.url}/_sim/ground-truth?account=${account}&${WINDOW}&groupBy=service,region`)).json()) as {
      currency: string;
      total: string;
      rows: { keys: { service: string; region: string }; amount: string }[];
    };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: NOW });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-api-'));
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'MERIDIAN_SECRET_KEY']) delete process.env[k];
    process.env.MERIDIAN_DATA_DIR = dataDir;
    Object.assign(process.env, { MERIDIAN_OWNER_EMAIL: 'owner@example.test', MERIDIAN_OWNER_PASSWORD: OWNER_PASSWORD });
    const config = { ...apiConfigFromEnv(), port: 0, host: '127.0.0.1', demoSimUrl: sim.url, webDist: path.join(dataDir, 'no-web') };
    app = await createApiApp(config);
    app.useLogger(false);
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    owner = await ApiSession.login(base, 'owner@example.test', OWNER_PASSWORD);
  });

  afterAll(async () => {
    await app?.close();
    await sim?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.env = savedEnv;
  });

  it('has every demo account synced within 60 s, with status and time', async () => {
    const deadline = Date.now() + 60_000;
    let accounts: AccountList = { items: [] };
    while (Date.now() < deadline) {
      accounts = (await get<AccountList>('/api/accounts')).body;
      if (accounts.items.length === 6 && accounts.items.every((a) => a.streams.every((s) => s.lastStatus === 'succeeded'))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(accounts.items.map((a) => [a.id, a.lastSync?.status, Boolean(a.lastSuccessAt)])).toEqual(
      expect.arrayContaining(['global-us', 'eu', 'usgov', 'china', 'germany', 'global-sandbox'].map((id) => [id, 'succeeded', true])),
    );
    for (const a of accounts.items) {
      expect(a.streams.map((s) => s.stream)).toEqual(['customers', 'subscriptions', 'unbilled-usage']);
      // Usage is due again after the demo interval (15 min), the catalogue after 6 h.
      const usage = a.streams.find((s) => s.stream === 'unbilled-usage')!;
      expect(Date.parse(usage.nextRunAt!) - Date.parse(usage.lastRunAt!)).toBe(15 * 60_000);
    }
    expect(JSON.stringify(accounts)).not.toMatch(/secret/i);
  }, 70_000);

  it('breaks each production account down by service and region exactly as the simulator generated it', async () => {
    for (const id of ['global-us', 'eu', 'usgov', 'china', 'germany']) {
      const { status, body } = await get<BreakdownResponse>(`/api/costs/breakdown?groupBy=service,region&${WINDOW}&accountIds=${id}`);
      expect(status).toBe(200);
      const expected = await truth(id);
      expect(body.totals).toEqual([{ currency: expected.currency, amount: normalizeDecimal(expected.total) }]);
      expect(Number(body.totals[0].amount)).toBeGreaterThan(0);
      const cells = Object.fromEntries(body.rows.map((r) => [`${r.keys.service}|${r.keys.region}`, r.amount]));
      expect(cells).toEqual(Object.fromEntries(expected.rows.map((r) => [`${r.keys.service}|${r.keys.region}`, normalizeDecimal(r.amount)])));
    }
  });

  it('consolidates per currency, never adding EUR to USD, and leaves the sandbox out unless asked', async () => {
    const { body } = await get<BreakdownResponse>(`/api/costs/breakdown?groupBy=service&${WINDOW}`);
    const sum = async (ids: string[]) => sumDecimals(await Promise.all(ids.map(async (id) => (await truth(id)).total)));
    expect(body.totals).toEqual([
      { currency: 'CNY', amount: await sum(['china']) },
      { currency: 'EUR', amount: await sum(['eu', 'germany']) },
      { currency: 'USD', amount: await sum(['global-us', 'usgov']) },
    ]);
    expect(body.accountIds).not.toContain('global-sandbox');
    const withSandbox = await get<BreakdownResponse>(`/api/costs/breakdown?groupBy=service&${WINDOW}&includeSandbox=true`);
    expect(withSandbox.body.totals.find((t) => t.currency === 'USD')?.amount).toBe(await sum(['global-us', 'usgov', 'global-sandbox']));
  });

  it('summarises per account with each account its own currency', async () => {
    const { status, body } = await get<CostSummaryResponse>(`/api/costs/summary?${WINDOW}`);
    expect(status).toBe(200);
    expect(body.byAccount).toHaveLength(5);
    for (const a of body.byAccount) expect(a.amount).toBe(normalizeDecimal((await truth(a.accountId)).total));
  });

  it.each([
    { query: `groupBy=service,planet&${WINDOW}`, field: 'groupBy', text: /service, region, account, cloud/ },
    { query: `groupBy=service&from=2026-02-30&to=2026-03-01`, field: 'from', text: /calendar date/ },
    { query: `groupBy=service&${WINDOW}&acountIds=eu`, field: 'acountIds', text: /allowed: groupBy, from, to, accountIds, includeSandbox/ },
    { query: `groupBy=service`, field: 'from', text: /./ },
  ])('answers 400 naming $field for ?$query', async ({ query, field, text }) => {
    const { status, body } = await get<ApiError>(`/api/costs/breakdown?${query}`);
    expect(status).toBe(400);
    expect(body.message).toContain(field);
    expect(body.issues?.find((i) => i.field === field)?.message).toMatch(text);
  });

  it('answers 404 for an account that does not exist', async () => {
    expect((await get('/api/accounts/nope/sync-runs')).status).toBe(404);
  });
});
