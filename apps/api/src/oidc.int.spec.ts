import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import type { AccountList, MeResponse } from '@meridian/contracts';
import { chromium, type Browser } from 'playwright-core';
import { apiConfigFromEnv } from './api.config';
import { createApiApp } from './bootstrap';

const CLIENT = { id: 'meridian-test', secret: 'oidc client secret for tests only' };
const ALLOWED_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * OpenID Connect end to end: a real OpenID provider (oidc-provider, Entra-shaped claims) in its own
 * process, the api configured for it, and Chromium doing the sign-in as a person would.
 */
describe('OpenID Connect sign-in', () => {
  const savedEnv = { ...process.env };
  let provider: ChildProcess;
  let app: INestApplication;
  let browser: Browser;
  let base: string;
  let dataDir: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    provider = spawn(process.execPath, [
      path.join(__dirname, '../test/oidc-provider.mjs'),
      JSON.stringify({
        clientId: CLIENT.id,
        clientSecret: CLIENT.secret,
        redirectUri: `${base}/api/auth/oidc/callback`,
        users: {
          alice: { email: 'alice@contoso.example', name: 'Alice', tid: ALLOWED_TENANT, roles: ['Meridian.EuViewer', 'Meridian.Ops'] },
          mallory: { email: 'mallory@fabrikam.example', name: 'Mallory', tid: '00000000-dead-beef-0000-000000000000', roles: ['Meridian.Ops'] },
        },
      }),
    ]);
    const issuer = await new Promise<string>((resolve, reject) => {
      provider.stdout!.once('data', (d) => resolve(JSON.parse(String(d)).issuer));
      provider.once('exit', (code) => reject(new Error(`OIDC provider exited (${code})`)));
    });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-oidc-'));
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'MERIDIAN_SECRET_KEY', 'MERIDIAN_DEMO_SIM_URL']) delete process.env[k];
    Object.assign(process.env, {
      MERIDIAN_DATA_DIR: dataDir,
      MERIDIAN_OWNER_PASSWORD: 'owner password for oidc test',
      MERIDIAN_OIDC_ISSUER: issuer,
      MERIDIAN_OIDC_CLIENT_ID: CLIENT.id,
      MERIDIAN_OIDC_CLIENT_SECRET: CLIENT.secret,
      MERIDIAN_OIDC_REDIRECT_URL: `${base}/api/auth/oidc/callback`,
      MERIDIAN_OIDC_ALLOWED_TENANTS: ALLOWED_TENANT,
      MERIDIAN_OIDC_GRANTS: JSON.stringify({ 'Meridian.EuViewer': [{ accountId: 'eu', role: 'viewer' }], 'Meridian.Ops': [{ accountId: 'china', role: 'ops' }] }),
    });
    app = await createApiApp({ ...apiConfigFromEnv(), port, host: '127.0.0.1', webDist: path.join(dataDir, 'none') });
    app.useLogger(false);
    await app.listen(port, '127.0.0.1');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    provider?.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.env = savedEnv;
  });

  /** Signs in at the provider's own login page, as a person would, and returns the browser context. */
  async function signIn(login: string) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const final = page.waitForResponse((r) => r.url().startsWith(`${base}/api/auth/oidc/callback`));
    await page.goto(`${base}/api/auth/oidc/login`);
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    const consent = await page.waitForSelector('button[type="submit"]', { timeout: 2000 }).catch(() => null);
    if (consent && page.url().includes('/interaction/')) await consent.click();
    const callback = await final;
    return { context, page, callback };
  }

  it('signs a user of an allowed tenant in, with grants mapped from their role claims', async () => {
    const { context, callback } = await signIn('alice');
    expect({ status: callback.status(), body: callback.status() === 302 ? "" : await callback.text() }).toEqual({ status: 302, body: "" });
    const me = await context.request.get(`${base}/api/auth/me`);
    expect(me.status()).toBe(200);
    const body = (await me.json()) as MeResponse;
    expect(body.user).toMatchObject({ email: 'alice@contoso.example', signIn: 'oidc', isOwner: false });
    expect(body.user.grants.map((g) => [g.accountId, g.role]).sort()).toEqual([
      ['china', 'ops'],
      ['eu', 'viewer'],
    ]);
    expect((await context.request.get(`${base}/api/accounts`)).status()).toBe(200);
    expect((await context.request.get(`${base}/api/users`)).status()).toBe(403);

    // Sign out: the session is gone.
    const out = await context.request.post(`${base}/api/auth/logout`, { headers: { 'x-csrf-token': body.csrfToken! } });
    expect(out.status()).toBe(204);
    expect((await context.request.get(`${base}/api/auth/me`)).status()).toBe(401);
    await context.close();
  });

  it('refuses a token from a tenant that is not allowed', async () => {
    const { context, callback } = await signIn('mallory');
    expect(callback.status()).toBe(403);
    expect(await callback.text()).toContain('is not allowed to sign in');
    expect((await context.request.get(`${base}/api/auth/me`)).status()).toBe(401);
    const accounts = await context.request.get(`${base}/api/accounts`);
    expect(accounts.status()).toBe(401);
    await context.close();
  });

  it('refuses a callback whose state was not issued by this api', async () => {
    const res = await fetch(`${base}/api/auth/oidc/callback?code=forged&state=forged`);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/start again/);
  });

  it('keeps signed-in OIDC users inside their grants', async () => {
    const { context } = await signIn('alice');
    const accounts = (await (await context.request.get(`${base}/api/accounts`)).json()) as AccountList;
    expect(accounts.items).toEqual([]);
    await context.close();
  });
});
