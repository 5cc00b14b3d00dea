import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { INestApplication } from '@nestjs/common';
import type { AccountList, ApiToken, BreakdownResponse, CostSummaryResponse, CreatedApiToken, ReportSubscription, ReportSubscriptionList, SavedView, SavedViewList, User } from '@meridian/contracts';
import { sumDecimals, toDecimal } from '@meridian/finops';
import { Store } from '@meridian/store';
import { startSimulator } from '@meridian/pc-sim';
import { apiConfigFromEnv } from './api.config';
import { createApiApp } from './bootstrap';
import { ApiSession } from './testing/api-session';

const NOW = new Date('2026-11-25T12:00:00Z');
const WINDOW = 'from=2026-10-01&to=2026-11-24';
const PASSWORD = 'a long enough password 1';

/** The application's JSON log lines (pino), as written, at debug level: every request and Partner Center call. */
class LogLines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    done();
  }
}

interface RouteInfo {
  method: string;
  path: string;
}

/** The routes of the running application, read from Express itself (not from a list we keep). */
function routesOf(app: INestApplication): RouteInfo[] {
  const instance = app.getHttpAdapter().getInstance();
  const stack: { route?: { path: string; methods: Record<string, boolean> } }[] = (instance.router ?? instance._router).stack;
  return stack
    // `/api{/*splat}` (every method) is the request-logging middleware Nest mounts, not a route.
    .filter((l) => l.route && l.route.path.startsWith('/api') && !l.route.path.endsWith('{/*splat}'))
    .flatMap((l) => Object.keys(l.route!.methods).map((m) => ({ method: m.toUpperCase(), path: l.route!.path })));
}

/**
 * Isolation suite (DESIGN §5): every route, with no credentials and as users granted other
 * accounts; nothing of another account may leak, and no secret may reach a response or a log.
 */
describe('access control and isolation', () => {
  const savedEnv = { ...process.env };
  const logger = new LogLines();
  let sim: { url: string; close(): Promise<void> };
  let app: INestApplication;
  let base: string;
  let dataDir: string;
  let owner: ApiSession;
  let simAccounts: { id: string; name: string; tenantId: string; secret: string; appId: string }[];
  const stdout: string[] = [];
  const realWrite = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

  // One session per user for the whole suite: sign-ins are rate limited per client address.
  const sessions = new Map<string, Promise<ApiSession>>();
  const login = (email: string) => {
    if (!sessions.has(email)) sessions.set(email, ApiSession.login(base, email, PASSWORD));
    return sessions.get(email)!;
  };

  beforeAll(async () => {
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => (stdout.push(String(chunk)), realWrite.out(chunk as string, ...(rest as [])))) as typeof process.stdout.write;
    process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => (stdout.push(String(chunk)), realWrite.err(chunk as string, ...(rest as [])))) as typeof process.stderr.write;
    sim = await startSimulator({ port: 0, seed: 42, now: NOW, graphDelaySeconds: 0 });
    simAccounts = ((await (await fetch(`${sim.url}/_sim/accounts`)).json()) as { items: typeof simAccounts }).items;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-iso-'));
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'MERIDIAN_SECRET_KEY']) delete process.env[k];
    Object.assign(process.env, { MERIDIAN_DATA_DIR: dataDir, MERIDIAN_OWNER_EMAIL: 'owner@example.test', MERIDIAN_OWNER_PASSWORD: PASSWORD, MERIDIAN_NOW: NOW.toISOString(), LOG_LEVEL: 'debug' });
    app = await createApiApp({ ...apiConfigFromEnv(), port: 0, host: '127.0.0.1', demoSimUrl: sim.url, webDist: path.join(dataDir, 'none'), logDestination: logger });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    owner = await login('owner@example.test');
    await owner.waitForDemoSync();
    const customers = await owner.get<BreakdownResponse>(`/api/costs/breakdown?groupBy=customer&${WINDOW}&accountIds=global-us`);
    const mk = (email: string, grants: unknown[]) => owner.request<User>('POST', '/api/users', { email, displayName: email, password: PASSWORD, grants });
    expect((await mk('alice@example.test', [{ accountId: 'eu', role: 'viewer' }])).status).toBe(201);
    expect((await mk('bob@example.test', [{ accountId: 'china', role: 'ops' }])).status).toBe(201);
    expect((await mk('carol@example.test', [{ accountId: 'global-us', role: 'viewer', customerId: customers.body.rows[0].keys.customer }])).status).toBe(201);
    expect((await mk('dave@example.test', [])).status).toBe(201);
    expect((await mk('erin@example.test', [{ accountId: 'eu', role: 'admin' }])).status).toBe(201);
  }, 240_000);

  afterAll(async () => {
    process.stdout.write = realWrite.out;
    process.stderr.write = realWrite.err;
    await app?.close();
    await sim?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.env = savedEnv;
  });

  /**
   * Another account's alerting objects, made once by the owner: a budget on China that its first
   * evaluation fires (a tiny amount), its alert, and an organisation-wide webhook channel.
   */
  let alertObjects: Promise<{ ruleId: string; eventId: string; channelId: string }> | undefined;
  const chinaAlerting = () =>
    (alertObjects ??= (async () => {
      const channel = await owner.request<{ id: string }>('POST', '/api/notification-channels', { kind: 'webhook', name: 'Org hook', url: 'http://127.0.0.1:9/hook', secret: 'isolation signing secret 42' });
      const budget = { scope: { kind: 'account', accountId: 'china' }, period: 'monthly', amount: '1', currency: 'CNY', thresholds: [{ percent: 50, basis: 'actual' }] };
      const rule = await owner.request<{ id: string }>('POST', '/api/alert-rules', { name: 'Budget 1', kind: 'budget', budget });
      expect((await owner.request('POST', '/api/alerts/evaluate')).status).toBe(200);
      const events = await owner.get<{ items: { id: string }[] }>(`/api/alerts?ruleId=${rule.body.id}`);
      return { ruleId: rule.body.id, eventId: events.body.items[0].id, channelId: channel.body.id };
    })());

  /** A view of account China the owner shared: visible to China's users only. */
  let chinaViewId: Promise<string> | undefined;
  const chinaView = () =>
    (chinaViewId ??= owner
      .request<{ id: string }>('POST', '/api/saved-views', { name: 'China by region', path: '/explorer', query: 'group=region&accounts=china', shared: true })
      .then((r) => r.body.id));

  /** The owner's weekly report of the China view: another user's subscription, on another account. */
  let chinaSubscriptionId: Promise<string> | undefined;
  const chinaSubscription = () =>
    (chinaSubscriptionId ??= chinaView().then(async (viewId) => (await owner.request<{ id: string }>('POST', `/api/saved-views/${viewId}/subscriptions`, { frequency: 'weekly' })).body.id));

  /** How each route is exercised by a user granted only account "eu" against account "china". */
  const crossAccountProbes: Record<string, (s: ApiSession) => Promise<{ status: number; text: string }>> = {
    'GET /api/health': (s) => s.get('/api/health'),
    'GET /api/health/live': (s) => s.get('/api/health/live'),
    'GET /api/health/ready': (s) => s.get('/api/health/ready'),
    'GET /api/openapi.json': (s) => s.get('/api/openapi.json'),
    'GET /api/docs': (s) => s.get('/api/docs'),
    'POST /api/auth/login': async () => ({ status: 200, text: '' }),
    'POST /api/auth/logout': async () => ({ status: 204, text: '' }),
    'GET /api/auth/me': (s) => s.get('/api/auth/me'),
    'GET /api/auth/oidc/login': (s) => s.get('/api/auth/oidc/login'),
    'GET /api/auth/oidc/callback': (s) => s.get('/api/auth/oidc/callback?code=x&state=y'),
    'GET /api/accounts': (s) => s.get('/api/accounts'),
    'GET /api/accounts/:id/sync-runs': (s) => s.get('/api/accounts/china/sync-runs'),
    'POST /api/accounts/:id/sync': (s) => s.request('POST', '/api/accounts/china/sync'),
    'POST /api/accounts': (s) => s.request('POST', '/api/accounts', { id: 'probe', name: 'probe', cloud: 'global', tenantId: 't', appId: 'a', secret: 's', currency: 'EUR' }),
    'POST /api/accounts/test-connection': (s) => s.request('POST', '/api/accounts/test-connection', { name: 'probe', cloud: 'global', tenantId: 't', appId: 'a', secret: 's', currency: 'EUR', apiBaseUrl: 'http://127.0.0.1:9' }),
    'PATCH /api/accounts/:id': (s) => s.request('PATCH', '/api/accounts/china', { name: 'renamed' }),
    'POST /api/accounts/:id/test': (s) => s.request('POST', '/api/accounts/china/test'),
    'POST /api/accounts/:id/backfill': (s) => s.request('POST', '/api/accounts/china/backfill', { from: '2026-09', to: '2026-10' }),
    'GET /api/costs/breakdown': (s) => s.get(`/api/costs/breakdown?groupBy=service,account&${WINDOW}&accountIds=china,usgov`),
    'GET /api/costs/summary': (s) => s.get(`/api/costs/summary?${WINDOW}&accountIds=china`),
    'GET /api/costs/timeseries': (s) => s.get(`/api/costs/timeseries?${WINDOW}&groupBy=account&accountIds=china,usgov`),
    'GET /api/costs/top': (s) => s.get(`/api/costs/top?dimension=customer&${WINDOW}&accountIds=china,usgov`),
    'GET /api/costs/month-over-month': (s) => s.get('/api/costs/month-over-month?groupBy=account&accountIds=china,usgov'),
    'GET /api/costs/forecast': (s) => s.get('/api/costs/forecast?accountIds=china,usgov'),
    'GET /api/invoices': (s) => s.get('/api/invoices?accountIds=china,usgov'),
    'GET /api/accounts/:accountId/invoices/:invoiceId/reconciliation': async (s) => {
      const { body } = await owner.get<{ items: { id: string }[] }>('/api/invoices?accountIds=china');
      return s.get(`/api/accounts/china/invoices/${body.items[0].id}/reconciliation`);
    },
    'GET /api/fx-rates': (s) => s.get('/api/fx-rates'),
    'PUT /api/fx-rates': (s) => s.request('PUT', '/api/fx-rates', { rates: [{ base: 'EUR', quote: 'USD', period: '2026-11', rate: '1.1' }] }),
    'POST /api/fx-rates/import': (s) => s.request('POST', '/api/fx-rates/import', 'Date,USD\n2026-11-02,1.1', { 'content-type': 'text/csv' }),
    'GET /api/fx-rates/billing': (s) => s.get('/api/fx-rates/billing?from=2026-10&to=2026-11'),
    'GET /api/settings': (s) => s.get('/api/settings'),
    'PUT /api/settings': (s) => s.request('PUT', '/api/settings', { reportingCurrency: 'CNY' }),
    'POST /api/fx-rates/unlock': (s) => s.request('POST', '/api/fx-rates/unlock', { base: 'EUR', quote: 'USD', period: '2026-10' }),
    'DELETE /api/fx-rates/:base/:quote/:period': (s) => s.request('DELETE', '/api/fx-rates/EUR/USD/2026-11'),
    'GET /api/costs/line-items': (s) => s.get(`/api/costs/line-items?${WINDOW}&accountIds=china,usgov&limit=50`),
    'GET /api/exports/costs.csv': (s) => s.get(`/api/exports/costs.csv?kind=breakdown&groupBy=account&${WINDOW}&accountIds=china,usgov`),
    'GET /api/exports/costs.xlsx': (s) => s.get(`/api/exports/costs.xlsx?kind=line-items&${WINDOW}&accountIds=china`),
    'GET /api/exports/focus': (s) => s.get(`/api/exports/focus?${WINDOW}&accountIds=china,usgov&includeSandbox=true`),
    'GET /api/saved-views': async (s) => (await chinaView(), s.get('/api/saved-views')),
    'POST /api/saved-views': (s) => s.request('POST', '/api/saved-views', { name: 'peek', path: '/explorer', query: 'accounts=china', shared: true }),
    'GET /api/saved-views/:id': async (s) => s.get(`/api/saved-views/${await chinaView()}`),
    'PATCH /api/saved-views/:id': async (s) => s.request('PATCH', `/api/saved-views/${await chinaView()}`, { shared: false }),
    'DELETE /api/saved-views/:id': async (s) => s.request('DELETE', `/api/saved-views/${await chinaView()}`),
    'GET /api/report-subscriptions': async (s) => (await chinaSubscription(), s.get('/api/report-subscriptions?all=true')),
    'DELETE /api/report-subscriptions/:id': async (s) => s.request('DELETE', `/api/report-subscriptions/${await chinaSubscription()}`),
    'GET /api/saved-views/:id/subscriptions': async (s) => s.get(`/api/saved-views/${await chinaView()}/subscriptions`),
    'POST /api/saved-views/:id/subscriptions': async (s) => s.request('POST', `/api/saved-views/${await chinaView()}/subscriptions`, { frequency: 'daily' }),
    'GET /api/customers': (s) => s.get('/api/customers?accountIds=china,usgov&month=2026-11'),
    'GET /api/accounts/:accountId/customers/:customerId/subscriptions': async (s) => {
      const customer = (await s.get<{ items: { id: string }[] }>('/api/customers')).body.items[0]?.id ?? 'x';
      return s.get(`/api/accounts/china/customers/${customer}/subscriptions`);
    },
    'POST /api/tokens': (s) => s.request('POST', '/api/tokens', { name: 'probe' }),
    'GET /api/tokens': (s) => s.get('/api/tokens'),
    'DELETE /api/tokens/:id': (s) => s.request('DELETE', '/api/tokens/00000000-0000-0000-0000-000000000000'),
    'GET /api/users': (s) => s.get('/api/users'),
    'POST /api/users': (s) => s.request('POST', '/api/users', { email: 'x@example.test', displayName: 'x', grants: [{ accountId: null, role: 'admin' }] }),
    'PUT /api/users/:id/grants': (s) => s.request('PUT', '/api/users/some-user/grants', { grants: [{ accountId: 'china', role: 'admin' }] }),
    'GET /api/audit': (s) => s.get('/api/audit'),
    'GET /api/alert-rules': async (s) => (await chinaAlerting(), s.get('/api/alert-rules')),
    'POST /api/alert-rules': (s) => s.request('POST', '/api/alert-rules', { name: 'mine', kind: 'budget', budget: { scope: { kind: 'account', accountId: 'china' }, period: 'monthly', amount: '5', currency: 'CNY', thresholds: [{ percent: 80, basis: 'actual' }] } }),
    'GET /api/alert-rules/:id': async (s) => s.get(`/api/alert-rules/${(await chinaAlerting()).ruleId}`),
    'PATCH /api/alert-rules/:id': async (s) => s.request('PATCH', `/api/alert-rules/${(await chinaAlerting()).ruleId}`, { enabled: false }),
    'DELETE /api/alert-rules/:id': async (s) => s.request('DELETE', `/api/alert-rules/${(await chinaAlerting()).ruleId}`),
    'GET /api/notification-channels': async (s) => (await chinaAlerting(), s.get('/api/notification-channels')),
    'POST /api/notification-channels': (s) => s.request('POST', '/api/notification-channels', { kind: 'email', name: 'probe', to: ['probe@example.test'] }),
    'PATCH /api/notification-channels/:id': async (s) => s.request('PATCH', `/api/notification-channels/${(await chinaAlerting()).channelId}`, { name: 'taken over' }),
    'DELETE /api/notification-channels/:id': async (s) => s.request('DELETE', `/api/notification-channels/${(await chinaAlerting()).channelId}`),
    'POST /api/notification-channels/:id/test': async (s) => s.request('POST', `/api/notification-channels/${(await chinaAlerting()).channelId}/test`),
    'GET /api/alerts': async (s) => (await chinaAlerting(), s.get('/api/alerts?status=open')),
    'GET /api/alerts/:id': async (s) => s.get(`/api/alerts/${(await chinaAlerting()).eventId}`),
    'POST /api/alerts/:id/acknowledge': async (s) => s.request('POST', `/api/alerts/${(await chinaAlerting()).eventId}/acknowledge`),
    'POST /api/alerts/evaluate': (s) => s.request('POST', '/api/alerts/evaluate'),
    'POST /api/alerts/digest': (s) => s.request('POST', '/api/alerts/digest'),
    'GET /api/accounts/:accountId/prices': (s) => s.get('/api/accounts/china/prices?limit=500'),
    'GET /api/prices/estimate': async (s) => {
      const { body } = await owner.get<{ items: { meterId: string }[] }>('/api/accounts/china/prices?limit=1');
      return s.get(`/api/prices/estimate?accountId=china&meterId=${body.items[0]?.meterId ?? 'x'}&quantity=1000`);
    },
  };
  const PUBLIC = new Set(['GET /api/health', 'GET /api/health/live', 'GET /api/health/ready', 'GET /api/openapi.json', 'GET /api/docs', 'POST /api/auth/login', 'GET /api/auth/oidc/login', 'GET /api/auth/oidc/callback']);

  it('covers every route of the application (a new route must be added here)', () => {
    const routes = routesOf(app).map((r) => `${r.method} ${r.path}`);
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => !(r in crossAccountProbes))).toEqual([]);
  });

  it('answers 401 to every non-public route without credentials', async () => {
    for (const r of routesOf(app)) {
      const key = `${r.method} ${r.path}`;
      if (PUBLIC.has(key)) continue;
      const res = await fetch(`${base}${r.path.replace(':id', 'eu')}`, { method: r.method });
      expect({ key, status: res.status }).toEqual({ key, status: 401 });
    }
  });

  it("never shows a user granted only EU anything of another account, whatever the route", async () => {
    const alice = await login('alice@example.test');
    const others = simAccounts.filter((a) => a.id !== 'eu');
    const { body: all } = await owner.get<CostSummaryResponse>(`/api/costs/summary?${WINDOW}&includeSandbox=true`);
    const otherAmounts = all.byAccount.filter((a) => a.accountId !== 'eu').map((a) => a.amount);
    for (const [key, probe] of Object.entries(crossAccountProbes)) {
      const res = await probe(alice);
      expect({ key, status: res.status }).not.toMatchObject({ status: 200, key: expect.stringMatching(/sync-runs|\/sync$/) });
      // The API reference is static documentation: its cloud enum names "china", "usgov", "germany".
      if (key === 'GET /api/openapi.json' || key === 'GET /api/docs') continue;
      for (const o of others) {
        for (const leak of [o.name, o.tenantId, `"${o.id}"`, o.secret, o.appId]) expect({ key, leak: res.text.includes(leak) }).toEqual({ key, leak: false });
      }
      for (const amount of otherAmounts) expect({ key, amount, leak: res.text.includes(amount) }).toEqual({ key, amount, leak: false });
    }
    expect((await alice.get('/api/accounts/china/sync-runs')).status).toBe(404);
    expect((await alice.get('/api/accounts/china/prices')).status).toBe(404);
    expect((await alice.get('/api/accounts/eu/prices?limit=1')).status).toBe(200);
    expect((await alice.request('POST', '/api/accounts/china/sync')).status).toBe(403);
    expect((await alice.get('/api/users')).status).toBe(403);
    expect((await alice.get('/api/audit')).status).toBe(403);
    const accounts = await alice.get<AccountList>('/api/accounts');
    expect(accounts.body.items.map((a) => a.id)).toEqual(['eu']);
    const b = await alice.get<BreakdownResponse>(`/api/costs/breakdown?groupBy=account&${WINDOW}&accountIds=china,eu`);
    expect(b.body.rows.map((r) => r.keys.account)).toEqual(['eu']);
  });

  it('lets an ops user sync only the account granted: another account is a 404, not a 403', async () => {
    const bob = await login('bob@example.test');
    expect((await bob.request('POST', '/api/accounts/eu/sync')).status).toBe(404);
    const own = await bob.request<{ jobs: unknown[] }>('POST', '/api/accounts/china/sync');
    expect(own.status).toBe(202);
  });

  it("lets an account's admin manage that connection only; connecting new accounts is the owner's", async () => {
    const erin = await login('erin@example.test');
    expect((await erin.request('PATCH', '/api/accounts/china', { name: 'mine now' })).status).toBe(404);
    expect((await erin.request('POST', '/api/accounts/china/test')).status).toBe(404);
    expect((await erin.request('POST', '/api/accounts/china/backfill', { from: '2026-09', to: '2026-10' })).status).toBe(404);
    const connect = { id: 'new-one', name: 'x', cloud: 'global', tenantId: 't', appId: 'a', secret: 's', currency: 'EUR' };
    expect((await erin.request('POST', '/api/accounts', connect)).status).toBe(403);
    const { id: _id, ...credentials } = connect;
    expect((await erin.request('POST', '/api/accounts/test-connection', credentials)).status).toBe(403);
    const renamed = await erin.request<{ name: string }>('PATCH', '/api/accounts/eu', { name: 'EU (renamed by its admin)' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('EU (renamed by its admin)');
    expect((await erin.request('PATCH', '/api/accounts/eu', { syncIntervalMinutes: 1 })).status).toBe(400);
  });

  it("keeps alerting per account: an account's admin sees and changes only that account's rules and alerts; channels and rules spanning accounts are for all-account managers", async () => {
    const china = await chinaAlerting();
    const erin = await login('erin@example.test');
    const budget = (accountId: string) => ({ scope: { kind: 'account', accountId }, period: 'monthly', amount: '1', currency: 'EUR', thresholds: [{ percent: 50, basis: 'actual' }] });
    const mine = await erin.request<{ id: string }>('POST', '/api/alert-rules', { name: 'EU budget', kind: 'budget', budget: budget('eu') });
    expect(mine.status).toBe(201);
    expect((await erin.request('POST', '/api/alert-rules', { name: 'x', kind: 'budget', budget: budget('china') })).status).toBe(404);
    expect((await erin.request('POST', '/api/alert-rules', { name: 'x', kind: 'budget', budget: { ...budget('eu'), scope: { kind: 'all' } } })).status).toBe(403);
    expect((await erin.request('POST', '/api/alert-rules', { name: 'x', kind: 'anomaly', anomaly: { grain: 'account' } })).status).toBe(403);
    expect((await erin.request('POST', '/api/alert-rules', { name: 'x', kind: 'budget', budget: budget('eu'), channelIds: [china.channelId] })).status).toBe(201);
    // Moving a rule into another account is refused like creating it there.
    expect((await erin.request('PATCH', `/api/alert-rules/${mine.body.id}`, { budget: budget('china') })).status).toBe(404);
    for (const [method, path] of [['GET', `/api/alert-rules/${china.ruleId}`], ['PATCH', `/api/alert-rules/${china.ruleId}`], ['DELETE', `/api/alert-rules/${china.ruleId}`], ['GET', `/api/alerts/${china.eventId}`], ['POST', `/api/alerts/${china.eventId}/acknowledge`]] as const) {
      expect({ method, path, status: (await erin.request(method, path, method === 'PATCH' ? { enabled: false } : undefined)).status }).toEqual({ method, path, status: 404 });
    }
    const rules = await erin.get<{ items: { id: string }[] }>('/api/alert-rules');
    expect(rules.body.items.map((r) => r.id)).not.toContain(china.ruleId);
    expect(rules.body.items.length).toBe(2);
    expect((await owner.request('POST', '/api/alerts/evaluate')).status).toBe(200);
    const alerts = await erin.get<{ items: { accountIds: string[] }[] }>('/api/alerts');
    expect(alerts.body.items.length).toBeGreaterThan(0);
    expect(alerts.body.items.every((e) => e.accountIds.length > 0 && e.accountIds.every((a) => a === 'eu'))).toBe(true);
    expect((await erin.request('POST', '/api/notification-channels', { kind: 'email', name: 'x', to: ['x@example.test'] })).status).toBe(403);
    expect((await erin.request('POST', `/api/notification-channels/${china.channelId}/test`)).status).toBe(403);
    expect((await erin.request('POST', '/api/alerts/evaluate')).status).toBe(403);
    const channels = await erin.get<{ items: { id: string; url?: string }[] }>('/api/notification-channels');
    expect(channels.body.items.map((c) => c.id)).toContain(china.channelId);
    expect(channels.text).not.toContain('127.0.0.1:9');
    // A viewer reads alerts but never acknowledges; the China alert stays unacknowledged.
    const alice = await login('alice@example.test');
    expect((await alice.request('POST', `/api/alerts/${china.eventId}/acknowledge`)).status).toBe(403);
    expect((await owner.get<{ acknowledgedAt: string | null }>(`/api/alerts/${china.eventId}`)).body.acknowledgedAt).toBeNull();
    expect((await owner.get(`/api/alert-rules/${china.ruleId}`)).status).toBe(200);
  });

  it('shares a saved view with exactly the users whose grants cover its accounts; only its author changes it', async () => {
    const [alice, bob, carol, erin] = await Promise.all(['alice', 'bob', 'carol', 'erin'].map((n) => login(`${n}@example.test`)));
    const save = (s: ApiSession, body: object) => s.request<SavedView>('POST', '/api/saved-views', body);
    const euShared = await save(owner, { name: 'EU by service', path: '/explorer', query: 'group=service&accounts=eu', shared: true });
    const euPrivate = await save(owner, { name: 'EU private', path: '/explorer', query: 'group=region&accounts=eu' });
    const everything = await save(owner, { name: 'All clouds', path: '/cost-by-service-region', query: 'preset=mtd', shared: true });
    expect([euShared.status, euPrivate.status, everything.status]).toEqual([201, 201, 201]);
    expect(euShared.body).toMatchObject({ accountIds: ['eu'], shared: true, mine: true });
    expect(everything.body.accountIds).toBeNull();

    const names = async (s: ApiSession) => (await s.get<SavedViewList>('/api/saved-views')).body.items.map((v) => v.name);
    // Alice and Erin see EU; Bob sees China; Carol sees one customer of global-us; none covers "every account".
    for (const s of [alice, erin]) expect(await names(s)).toContain('EU by service');
    for (const s of [alice, erin, bob, carol]) expect(await names(s)).not.toEqual(expect.arrayContaining(['EU private']));
    for (const s of [alice, bob, carol]) expect(await names(s)).not.toContain('All clouds');
    expect(await names(bob)).not.toContain('EU by service');
    expect((await bob.get(`/api/saved-views/${euShared.body.id}`)).status).toBe(404);
    const aliceView = await alice.get<SavedView>(`/api/saved-views/${euShared.body.id}`);
    expect(aliceView.body).toMatchObject({ mine: false, ownerName: 'Owner' });

    // Only the author changes or deletes; a reader gets 403 on a view it can see.
    expect((await alice.request('PATCH', `/api/saved-views/${euShared.body.id}`, { name: 'mine now' })).status).toBe(403);
    expect((await alice.request('DELETE', `/api/saved-views/${euShared.body.id}`)).status).toBe(403);
    // Alice's own view, and a query naming an account she cannot see is refused by field.
    const own = await save(alice, { name: 'My EU view', path: '/explorer', query: 'group=meter' });
    expect(own.body.accountIds).toEqual(['eu']);
    const outside = await save(alice, { name: 'peek', path: '/explorer', query: 'accounts=eu,china' });
    expect(outside.status).toBe(400);
    expect(JSON.stringify(outside.body)).toContain('"field":"query"');
    const bad = await save(alice, { name: '', path: '/nowhere', query: '?x=1' });
    expect(bad.status).toBe(400);
    const fields = (bad.body as unknown as { issues: { field: string }[] }).issues.map((i) => i.field).sort();
    expect(fields).toEqual(['name', 'path', 'query']);
    expect((await alice.request('PATCH', `/api/saved-views/${own.body.id}`, { shared: true })).status).toBe(200);
    expect(await names(erin)).toContain('My EU view');
    expect((await owner.request('PATCH', `/api/saved-views/${euShared.body.id}`, { shared: false })).status).toBe(200);
    expect(await names(alice)).not.toContain('EU by service');
    expect((await alice.request('DELETE', `/api/saved-views/${own.body.id}`)).status).toBe(204);
    expect(await names(erin)).not.toContain('My EU view');
  });

  it('lets users subscribe themselves to the cost views they see; bad input is a 400 by field; writes are audited', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((n) => login(`${n}@example.test`)));
    const view = await owner.request<SavedView>('POST', '/api/saved-views', { name: 'EU weekly', path: '/explorer', query: 'group=service&accounts=eu', shared: true });
    const subscribe = (s: ApiSession, body: unknown, id = view.body.id) => s.request<ReportSubscription>('POST', `/api/saved-views/${id}/subscriptions`, body);
    const bad = await subscribe(alice, { frequency: 'hourly', extra: 1 });
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as { issues: { field: string }[] }).issues.map((i) => i.field).sort()).toEqual(['extra', 'frequency']);
    const created = await subscribe(alice, { frequency: 'weekly' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ viewId: view.body.id, viewName: 'EU weekly', frequency: 'weekly', lastPeriod: null });
    const changed = await subscribe(alice, { frequency: 'monthly' });
    expect([changed.status, changed.body.id, changed.body.frequency]).toEqual([200, created.body.id, 'monthly']);
    // Bob (China only) cannot see the view: it does not exist for him.
    expect((await subscribe(bob, { frequency: 'daily' })).status).toBe(404);
    const invoices = await alice.request<SavedView>('POST', '/api/saved-views', { name: 'EU invoices', path: '/invoices', query: '' });
    const notCost = await subscribe(alice, { frequency: 'daily' }, invoices.body.id);
    expect([notCost.status, JSON.stringify(notCost.body)]).toEqual([400, expect.stringContaining('"field":"viewId"')]);

    const mine = await alice.get<ReportSubscriptionList>('/api/report-subscriptions');
    expect(mine.body.items.map((s) => s.id)).toEqual([created.body.id]);
    expect((await alice.get('/api/report-subscriptions?all=true')).status).toBe(403);
    expect((await alice.get('/api/report-subscriptions?everyone=1')).status).toBe(400);
    const all = await owner.get<ReportSubscriptionList>('/api/report-subscriptions?all=true');
    expect(all.body.items.map((s) => s.id)).toContain(created.body.id);
    expect((await owner.get<ReportSubscriptionList>(`/api/saved-views/${view.body.id}/subscriptions`)).body.items.map((s) => s.userName)).toEqual(['alice@example.test']);

    expect((await bob.request('DELETE', `/api/report-subscriptions/${created.body.id}`)).status).toBe(404);
    expect((await alice.request('DELETE', `/api/report-subscriptions/${created.body.id}`)).status).toBe(204);
    expect((await alice.get<ReportSubscriptionList>('/api/report-subscriptions')).body.items).toEqual([]);
    const audit = await owner.get<{ items: { action: string; target: string | null }[] }>('/api/audit');
    const actions = audit.body.items.filter((a) => a.target === created.body.id).map((a) => a.action).sort();
    expect(actions).toEqual(['report-subscription.create', 'report-subscription.delete', 'report-subscription.update']);
  });

  it('shows a customer-scoped user that one customer only, at list price, never the partner cost', async () => {
    const carol = await login('carol@example.test');
    const me = await carol.get<{ user: User }>('/api/auth/me');
    const customer = me.body.user.grants[0].customerId!;
    const mine = await carol.get<BreakdownResponse>(`/api/costs/breakdown?groupBy=customer&${WINDOW}`);
    expect(mine.body.rows.map((r) => r.keys.customer)).toEqual([customer]);
    // List price = quantity × unit price × exchange rate of each line, summed exactly.
    const store = app.get(Store);
    const lines: { q: string; p: string; r: string; billed: string }[] = await store.dataSource.query(
      `SELECT consumed_quantity AS q, x_unit_price AS p, x_exchange_rate AS r, billed_cost AS billed FROM cost_line_item
       WHERE billing_account_id = 'global-us' AND x_customer_id = ? AND charge_period_start BETWEEN '2026-10-01' AND '2026-11-24' AND x_source <> 'estimated'`,
      [customer],
    );
    const list = sumDecimals(lines.map((l) => toDecimal(l.q).times(toDecimal(l.p)).times(toDecimal(l.r)).toFixed()));
    const partnerCost = sumDecimals(lines.map((l) => l.billed));
    expect(mine.body.totals).toEqual([{ currency: 'USD', amount: list }]);
    expect(list).not.toBe(partnerCost);
    expect(mine.text).not.toContain(partnerCost);
  });

  it('refuses a user without grants any data, while letting them manage their own tokens', async () => {
    const dave = await login('dave@example.test');
    expect((await dave.get(`/api/costs/summary?${WINDOW}`)).status).toBe(403);
    expect((await dave.get('/api/accounts')).status).toBe(403);
    expect((await dave.get('/api/tokens')).status).toBe(200);
  });

  it('issues API tokens shown once, usable as Bearer without CSRF, revocable', async () => {
    const alice = await login('alice@example.test');
    const created = await alice.request<CreatedApiToken>('POST', '/api/tokens', { name: 'ci export' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^mrd_/);
    const listed = await alice.get<{ items: ApiToken[] }>('/api/tokens');
    expect(listed.text).not.toContain(created.body.token);
    const bearer = (p: string, init: RequestInit = {}) => fetch(`${base}${p}`, { ...init, headers: { authorization: `Bearer ${created.body.token}` } });
    const accounts = (await (await bearer('/api/accounts')).json()) as AccountList;
    expect(accounts.items.map((a) => a.id)).toEqual(['eu']);
    // Another user's token id is "not found", not "forbidden".
    const bob = await login('bob@example.test');
    expect((await bob.request('DELETE', `/api/tokens/${created.body.id}`)).status).toBe(404);
    expect((await alice.request('DELETE', `/api/tokens/${created.body.id}`)).status).toBe(204);
    expect((await bearer('/api/accounts')).status).toBe(401);
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const alice = await login('alice@example.test');
    const cookie = (alice as unknown as { cookie: string }).cookie;
    const res = await fetch(`${base}/api/tokens`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(res.status).toBe(403);
  });

  it('answers 400 with field messages for a bad body, and 413 for an oversized one', async () => {
    const bad = await owner.request<{ issues: { field: string }[] }>('POST', '/api/users', { email: 'nope', displayName: '', grants: [{ accountId: 'eu', role: 'god' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.field).sort()).toEqual(['displayName', 'email', 'grants']);
    const huge = await owner.request('POST', '/api/tokens', { name: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
  });

  it('locks an account after 5 failed sign-ins and records every attempt in the audit log', async () => {
    const attempt = (password: string) =>
      fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.9' }, body: JSON.stringify({ email: 'dave@example.test', password }) });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password')).status).toBe(401);
    expect((await attempt(PASSWORD)).status).toBe(429);
    const audit = await owner.get<{ items: { action: string; target: string }[] }>('/api/audit?limit=50');
    expect(audit.body.items.filter((e) => e.action === 'auth.login_failed' && e.target === 'dave@example.test').length).toBeGreaterThanOrEqual(5);
    expect(audit.body.items.some((e) => e.action === 'user.create' && e.target === 'alice@example.test')).toBe(true);
    const all = await owner.get<{ items: { action: string; target: string }[] }>('/api/audit?limit=1000');
    expect(all.body.items.filter((e) => e.action === 'account.connect').map((e) => e.target).sort()).toEqual(simAccounts.map((a) => a.id).sort());
    for (const a of simAccounts) expect(all.text).not.toContain(a.secret);
  });

  it('sends security headers', async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('wrote no Partner Center secret, API token, session or password to any log', () => {
    // The log is JSON lines, one object each (request lines included at this debug level).
    const parsed = logger.lines.map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(parsed.length).toBeGreaterThan(100);
    expect(parsed.filter((l) => typeof l.level !== 'string' || typeof l.msg !== 'string')).toEqual([]);
    expect(parsed.some((l) => l.msg === 'request completed')).toBe(true);
    const text = [...logger.lines, ...stdout].join('\n');
    expect(text).toContain('sync');
    for (const a of simAccounts) expect(text.includes(a.secret)).toBe(false);
    expect(text.includes(PASSWORD)).toBe(false);
    expect(text).not.toMatch(/mrd_[A-Za-z0-9_-]{20,}/);
    expect(text).not.toMatch(/Bearer\s+[A-Za-z0-9._-]{20,}/);
  });
});
