// "Cost by service and region" in a real browser against the real stack: every account is on the
// page (chart and table), the numbers on screen equal the API's, screenshots at 1280 and 390 px.
import { now, today } from './clock.mjs';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { seriousViolations } from './axe.mjs';
import { OWNER, repoRoot } from './stack.mjs';

/** Half-away-from-zero rounding of a decimal string to cents, as the page does (exact, no floats). */
function cents(value) {
  const [int, frac = ''] = value.replace('-', '').split('.');
  let units = BigInt(int + (frac + '000').slice(0, 3));
  units = units / 10n + (units % 10n >= 5n ? 1n : 0n);
  const s = units.toString().padStart(3, '0');
  const out = `${s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${s.slice(-2)}`;
  return value.startsWith('-') && units !== 0n ? `-${out}` : out;
}

export const name = 'cost by service and region';

export async function run({ browser, baseUrl, accounts, check, cookie }) {
  const production = accounts.filter((a) => !a.sandbox);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${baseUrl}/costs/service-region`);
  const shots = path.join(repoRoot, 'docs/screenshots');
  mkdirSync(shots, { recursive: true });

  await check('asks for sign-in first, and signs in with the owner account', async () => {
    await page.waitForSelector('form[aria-labelledby="login-heading"]');
    await page.screenshot({ path: path.join(shots, 'sign-in.png') });
    assert.deepEqual(await seriousViolations(page), []);
    await page.fill('input[type="email"]', OWNER.email);
    await page.fill('input[type="password"]', OWNER.password);
    await page.click('button[type="submit"]');
  });
  await page.waitForSelector('[data-testid="accounts-table"] tbody tr');
  await page.waitForSelector('section.currency-section .recharts-bar-rectangle');
  await page.waitForSelector('text=/Contoso CSP/ >> nth=0');

  await check('stays on the report after sign-in', async () => {
    const url = new URL(page.url());
    assert.equal(url.pathname, '/costs/service-region');
  });

  await check('every production account is in the accounts table, the sandbox is not', async () => {
    const ids = await page.$$eval('[data-testid="accounts-table"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-account')));
    assert.deepEqual([...ids].sort(), production.map((a) => a.id).sort());
  });

  await check('every production account is in the accounts chart', async () => {
    const labels = await page.$$eval('figure.chart .recharts-cartesian-axis-tick-value', (els) => els.map((e) => e.textContent ?? ''));
    for (const a of production) assert.ok(labels.some((l) => l.startsWith(a.name)), `${a.name} not in chart labels ${labels.join(' | ')}`);
  });

  const from = new URL(page.url()).searchParams.get('from');
  const to = new URL(page.url()).searchParams.get('to') ?? today();
  const qs = from ? `from=${from}&to=${to}` : '';
  const api = await (await fetch(`${baseUrl}/api/costs/breakdown?groupBy=service,region&${qs || defaultQs()}`, { headers: { cookie } })).json();

  await check('one section per currency, each with a stacked bar chart and its table', async () => {
    const currencies = await page.$$eval('section.currency-section', (s) => s.map((e) => e.getAttribute('data-currency')));
    assert.deepEqual(currencies, api.totals.map((t) => t.currency));
    for (const c of currencies) {
      const bars = await page.$$(`section[data-currency="${c}"] .recharts-bar-rectangle`);
      assert.ok(bars.length > 0, `no bars for ${c}`);
      assert.ok(await page.$(`[data-testid="matrix-${c}"] tbody tr`), `no table rows for ${c}`);
    }
  });

  await check('grand totals on screen equal the API totals to the cent', async () => {
    for (const t of api.totals) {
      const shown = await page.textContent(`[data-testid="grand-total-${t.currency}"]`);
      assert.equal(shown, `${cents(t.amount)} ${t.currency}`);
    }
  });

  await check('each service row of the table equals the API sum for that service', async () => {
    const first = api.totals[0].currency;
    const rows = await page.$$eval(`[data-testid="matrix-${first}"] tbody tr`, (trs) =>
      trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td.total')?.textContent ?? '']),
    );
    assert.ok(rows.length > 3);
    const bySvc = new Map();
    for (const r of api.rows.filter((r) => r.currency === first)) {
      const [i, f = ''] = r.amount.split('.');
      bySvc.set(r.keys.service, (bySvc.get(r.keys.service) ?? 0n) + BigInt(i + (f + '0'.repeat(12)).slice(0, 12)));
    }
    for (const [service, shown] of rows) {
      const units = bySvc.get(service);
      const s = units.toString().padStart(13, '0');
      assert.equal(shown, `${cents(`${s.slice(0, -12)}.${s.slice(-12)}`)} ${first}`, service);
    }
  });

  await page.screenshot({ path: path.join(shots, 'cost-by-service-region.png'), fullPage: true });
  await check('axe-core finds no serious or critical violation on the report', async () => {
    assert.deepEqual(await seriousViolations(page), []);
  });
  await page.setViewportSize({ width: 390, height: 844 });
  await check('usable at 390 px: no horizontal page overflow outside scrollable tables', async () => {
    // Charts re-measure their container after the resize: give them a moment, then judge.
    let overflow = Infinity;
    for (let i = 0; i < 30 && overflow > 1; i++) {
      await page.waitForTimeout(100);
      overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    }
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
  });
  await page.screenshot({ path: path.join(shots, 'cost-by-service-region-390.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  await check('the owner adds a user with a viewer grant on one account from the Users page', async () => {
    await page.click('#main-nav >> text=Settings');
    await page.click('nav[aria-label="Settings sections"] >> text=Users and grants');
    await page.waitForSelector('[data-testid="users-table"]');
    await page.fill('input[type="email"]', 'viewer@e2e.test');
    await page.fill('label:has-text("Name") input', 'EU viewer');
    await page.fill('input[type="password"]', 'viewer password 1234');
    await page.selectOption('label:has-text("Account") select', 'eu');
    await page.selectOption('label:has-text("Role") select', 'viewer');
    await page.click('button:has-text("Add user")');
    await page.waitForSelector('tr[data-user="viewer@e2e.test"]');
    const grants = await page.textContent('tr[data-user="viewer@e2e.test"] td:last-child');
    assert.equal(grants, 'viewer · Contoso CSP Europe');
    await page.screenshot({ path: path.join(shots, 'users.png'), fullPage: true });
    assert.deepEqual(await seriousViolations(page), []);
  });
  await page.close();

  await check('that user sees only the Europe account', async () => {
    const viewer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await viewer.goto(`${baseUrl}/costs/service-region`);
    await viewer.fill('input[type="email"]', 'viewer@e2e.test');
    await viewer.fill('input[type="password"]', 'viewer password 1234');
    await viewer.click('button[type="submit"]');
    await viewer.waitForSelector('[data-testid="accounts-table"] tbody tr');
    await viewer.waitForSelector('section.currency-section');
    const ids = await viewer.$$eval('[data-testid="accounts-table"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-account')));
    assert.deepEqual(ids, ['eu']);
    const currencies = await viewer.$$eval('section.currency-section', (s) => s.map((e) => e.getAttribute('data-currency')));
    assert.deepEqual(currencies, ['EUR']);
    await viewer.click('#main-nav >> text=Settings');
    await viewer.waitForSelector('nav[aria-label="Settings sections"]');
    assert.equal(await viewer.$('a[href="/settings/users"]'), null);
    await viewer.close();
  });
}

function defaultQs() {
  const from = new Date(Date.UTC(now().getUTCFullYear(), now().getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
  return `from=${from}&to=${today()}`;
}
