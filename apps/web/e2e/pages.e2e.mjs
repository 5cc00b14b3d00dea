// Every page of the dashboard in a real browser against the real stack (no mocked API): the main
// figures on screen equal the API's, axe-core finds no serious or critical violation, the page does
// not scroll sideways at 390 px, and a screenshot of each page at 1280 and 390 px lands in
// docs/screenshots/<page>-1280.png and <page>-390.png.
import { now, today } from './clock.mjs';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:http';
import { seriousViolations } from './axe.mjs';
import { OWNER, repoRoot } from './stack.mjs';

export const name = 'every page';

const shots = path.join(repoRoot, 'docs/screenshots');

/** Exact decimal string → "1,234.57 EUR" (half away from zero, like the page; no floats). */
export function money(value, currency) {
  const negative = value.startsWith('-');
  const [int, frac = ''] = value.replace('-', '').split('.');
  let units = BigInt(int + (frac + '000').slice(0, 3));
  units = units / 10n + (units % 10n >= 5n ? 1n : 0n);
  const s = units.toString().padStart(3, '0');
  const out = `${s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${s.slice(-2)}`;
  return `${negative && units !== 0n ? '-' : ''}${out} ${currency}`;
}

/** Exact sum of decimal strings (12 places is more than any amount the API sends). */
export function sum(values) {
  const total = values.reduce((acc, v) => {
    const neg = v.startsWith('-');
    const [i, f = ''] = v.replace('-', '').split('.');
    const units = BigInt(i + (f + '0'.repeat(12)).slice(0, 12));
    return acc + (neg ? -units : units);
  }, 0n);
  const neg = total < 0n;
  const s = (neg ? -total : total).toString().padStart(13, '0');
  return `${neg ? '-' : ''}${s.slice(0, -12)}.${s.slice(-12)}`;
}

const monthStart = () => `${today().slice(0, 7)}-01`;

async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 15_000 }).catch(() => undefined);
  await page.waitForTimeout(300);
}

/** axe + screenshots at both widths; at 390 px the page must not scroll sideways. */
async function shoot(page, check, file, label) {
  mkdirSync(shots, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await settle(page);
  await check(`${label}: axe-core finds no serious or critical violation`, async () => {
    assert.deepEqual(await seriousViolations(page), []);
  });
  await page.screenshot({ path: path.join(shots, `${file}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await check(`${label}: usable at 390 px (no sideways scroll outside scrollable tables)`, async () => {
    let overflow = Infinity;
    for (let i = 0; i < 30 && overflow > 1; i++) {
      await page.waitForTimeout(100);
      overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    }
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
  });
  await page.screenshot({ path: path.join(shots, `${file}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A local webhook receiver: what the stack's api sends to it, answered 200. */
async function startReceiver() {
  const received = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url, headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, received, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Budgets & alerts through the UI: a webhook channel (secret write-only, a test sent to a local
 * receiver), a budget rule notifying it, "Evaluate now", the alerts it fired with the API's figures,
 * acknowledge, and the Overview's open-alert count.
 */
async function alertsFlow({ page, check, baseUrl, apiGet, production }) {
  const receiver = await startReceiver();
  const secret = 'e2e webhook signing secret 0042';
  const account = production.find((a) => a.id === 'eu') ?? production[0];
  try {
    await check('notification channels: add a signed webhook in Settings; its secret is never shown; "Send test" reaches the receiver', async () => {
      await page.waitForSelector('h3:has-text("Add a channel")');
      await page.selectOption('select[name="kind"]', 'webhook');
      await page.fill('input[name="name"]', 'E2E hook');
      await page.fill('input[name="url"]', receiver.url);
      await page.fill('input[name="secret"]', secret);
      await page.click('button:has-text("Add channel")');
      await page.waitForSelector('[data-testid="channels-table"] tr:has-text("E2E hook")');
      assert.equal(await page.inputValue('input[name="secret"]'), '');
      assert.ok(!(await page.content()).includes(secret), 'the secret is on the page');
      const listed = await apiGet('/api/notification-channels');
      const hook = listed.items.find((c) => c.name === 'E2E hook');
      assert.equal(hook.hasSecret, true);
      assert.ok(!JSON.stringify(listed).includes(secret));
      await page.click('button[aria-label="Send test to E2E hook"]');
      await page.waitForSelector('[data-testid="channel-test-result"]');
      assert.match(await page.textContent('[data-testid="channel-test-result"]'), /Test delivered \(status 200\) after 1 attempt/);
      assert.equal(receiver.received.length, 1);
      assert.ok(receiver.received[0].headers['x-meridian-signature'], 'the test is signed');
    });
    await check('notification channels: edit a webhook (payload format) while its secret is kept', async () => {
      const setFormat = async (format) => {
        await page.click('button[aria-label="Edit E2E hook"]');
        await page.waitForSelector('h3:has-text("Edit channel E2E hook")');
        assert.equal(await page.inputValue('input[name="secret"]'), '');
        await page.selectOption('label:has-text("Payload") select', format);
        await page.click('button:has-text("Save changes")');
        await page.waitForSelector('h3:has-text("Add a channel")');
        const hook = (await apiGet('/api/notification-channels')).items.find((c) => c.name === 'E2E hook');
        assert.equal(hook.format, format);
        assert.equal(hook.hasSecret, true);
      };
      await setFormat('slack');
      await setFormat('meridian');
    });
    await shoot(page, check, 'settings-notifications', 'settings: notification channels');

    await nav(page, 'Alerts');
    await page.waitForSelector('h1:has-text("Budgets & alerts")');
    let rule;
    await check('alerts: a budget rule created through the form, then "Evaluate now" fires its thresholds', async () => {
      await page.click('button:has-text("New budget or rule")');
      await page.waitForSelector('[data-testid="rule-form"]');
      assert.equal(new URL(page.url()).searchParams.get('rule'), 'new');
      const form = '[data-testid="rule-form"]';
      await page.fill(`${form} input[name="name"]`, 'E2E budget');
      await page.selectOption(`${form} select[name="scopeKind"]`, 'account');
      await page.selectOption(`${form} select[name="accountId"]`, account.id);
      // Bad input first: the API's field messages land next to the fields.
      await page.fill(`${form} input[name="amount"]`, '-1');
      await page.click('button:has-text("Create rule")');
      await page.waitForSelector(`${form} .field-error`);
      assert.equal(await page.getAttribute(`${form} input[name="amount"]`, 'aria-invalid'), 'true');
      await page.fill(`${form} input[name="amount"]`, '100');
      assert.equal(await page.inputValue(`${form} input[name="currency"]`), account.currency);
      await page.check(`${form} label:has-text("E2E hook") input[type="checkbox"]`);
      await page.click('button:has-text("Create rule")');
      await page.waitForSelector('[data-testid="rules-table"] tr:has-text("E2E budget")');
      rule = (await apiGet('/api/alert-rules')).items.find((r) => r.name === 'E2E budget');
      assert.deepEqual(rule.budget.scope, { kind: 'account', accountId: account.id });
      assert.deepEqual(rule.channelIds.length, 1);
      await page.click('[data-testid="evaluate-now"]');
      await page.waitForSelector('[data-testid="evaluation-result"]');
      assert.match(await page.textContent('[data-testid="evaluation-result"]'), /Evaluated \d+ rules?: \d+ alerts? fired/);
    });
    await check("alerts: the open alerts and the budget's actual, forecast and used % equal the API", async () => {
      await page.waitForSelector('[data-testid="alerts-table"] tbody tr');
      const open = await apiGet(`/api/alerts?status=open&ruleId=${rule.id}`);
      assert.ok(open.total >= 2, `expected the 80 % and 100 % thresholds to fire, got ${open.total}`);
      for (const e of open.items) {
        const cell = await page.textContent(`[data-testid="alert-value-${e.id}"]`);
        assert.ok(cell.startsWith(money(e.value.amount, e.value.currency)), `${cell} vs ${e.value.amount}`);
      }
      const fresh = (await apiGet(`/api/alert-rules/${rule.id}`)).status;
      assert.equal(await page.textContent(`[data-testid="budget-actual-${rule.id}"]`), money(fresh.actual, fresh.currency));
      assert.match(await page.textContent(`[data-testid="budget-used-${rule.id}"]`), new RegExp(`${fresh.usedPercent.replace('.', '\\.')} % used`));
      assert.ok((await page.textContent(`[data-testid="budget-forecast-${rule.id}"]`)).includes(money(fresh.forecast, fresh.currency)));
      for (let i = 0; i < 50 && receiver.received.length < 1 + open.total; i++) await page.waitForTimeout(100);
      assert.equal(receiver.received.length, 1 + open.total, 'one notification per crossing');
    });
    await check('alerts: the detail shows the delivery attempts; Acknowledge moves the alert to the Acknowledged tab (in the URL)', async () => {
      const first = (await apiGet(`/api/alerts?status=open&ruleId=${rule.id}`)).items[0];
      await page.click(`tr[data-alert="${first.id}"] button:has-text("Details")`);
      await page.waitForSelector('[data-testid="alert-deliveries"] tbody tr');
      await page.waitForFunction(() => document.activeElement?.id === 'alert-detail-heading');
      assert.equal(new URL(page.url()).searchParams.get('alert'), first.id);
      assert.match(await page.textContent('[data-testid="alert-deliveries"] tbody'), /delivered \(200\)/);
      await shoot(page, check, 'alerts', 'budgets and alerts');
      await page.click('button.theme-toggle');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      await settle(page);
      assert.deepEqual(await seriousViolations(page), []);
      await page.screenshot({ path: path.join(shots, 'alerts-dark-1280.png'), fullPage: true });
      await page.click('button.theme-toggle');
      await page.click(`tr[data-alert="${first.id}"] button:has-text("Acknowledge")`);
      await page.waitForSelector(`tr[data-alert="${first.id}"]`, { state: 'detached' });
      assert.equal((await apiGet(`/api/alerts/${first.id}`)).status, 'acknowledged');
      await page.click('nav[aria-label="Alerts by status"] >> text=Acknowledged');
      await page.waitForSelector(`tr[data-alert="${first.id}"][data-status="acknowledged"]`);
      assert.equal(new URL(page.url()).searchParams.get('status'), 'acknowledged');
      await page.reload();
      await page.waitForSelector(`tr[data-alert="${first.id}"][data-status="acknowledged"]`);
    });
    await check('overview: "Open alerts" shows the open count and the latest alerts, linking to them', async () => {
      await nav(page, 'Overview');
      await page.waitForSelector('[data-testid="open-alerts-count"]');
      const open = await apiGet('/api/alerts?status=open&limit=5');
      assert.equal(await page.textContent('[data-testid="open-alerts-count"]'), String(open.total));
      const shown = await page.$$eval('[data-testid="open-alerts"] li', (lis) => lis.map((li) => li.dataset.alert));
      assert.deepEqual(shown, open.items.map((e) => e.id));
    });
    await check("notification channels: opt a webhook into the weekly digest and send last week's now; its totals are the API's", async () => {
      await nav(page, 'Settings');
      await page.click('nav[aria-label="Settings sections"] >> text=Notification channels');
      await page.click('button[aria-label="Edit E2E hook"]');
      await page.click('input[name="weeklyDigest"]');
      assert.equal(await page.isChecked('input[name="weeklyDigest"]'), true);
      await page.click('button:has-text("Save changes")');
      await page.waitForSelector('[data-channel] td[data-label="Weekly digest"]:has-text("yes")');
      const before = receiver.received.length;
      await page.click(`button:has-text("Send last week's digest now")`);
      await page.waitForSelector('[data-testid="digest-result"]');
      assert.match(await page.textContent('[data-testid="digest-result"]'), /sent to 1 of 1 channel/);
      assert.equal(receiver.received.length, before + 1);
      const posted = receiver.received[before];
      assert.equal(posted.headers['x-meridian-event'], 'digest.weekly');
      const { digest } = JSON.parse(posted.body);
      const week = await apiGet(`/api/costs/summary?from=${digest.from}&to=${digest.to}`);
      assert.deepEqual(digest.currencies.map((c) => [c.currency, c.total]), week.totals.map((t) => [t.currency, t.amount]));
    });
  } finally {
    await receiver.close();
  }
}

async function nav(page, label) {
  const menu = page.locator('.menu-button');
  if (await menu.isVisible()) await menu.click();
  await page.click(`#main-nav >> text="${label}"`);
}

export async function run({ browser, baseUrl, accounts, check, cookie }) {
  const apiGet = async (p) => {
    const res = await fetch(`${baseUrl}${p}`, { headers: { cookie } });
    assert.ok(res.ok, `${p}: HTTP ${res.status}`);
    return res.json();
  };
  const production = accounts.filter((a) => !a.sandbox);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}/`);
  await page.waitForSelector('form[aria-labelledby="login-heading"]');
  await shoot(page, check, 'sign-in', 'sign-in');
  await page.fill('input[type="email"]', OWNER.email);
  await page.fill('input[type="password"]', OWNER.password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#main-nav');

  // ---- shell ----
  await check('shell: a skip link leads to the main content, the nav names every page', async () => {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    const links = await page.$$eval('#main-nav a', (as) => as.map((a) => a.textContent));
    for (const l of ['Overview', 'Cost by service & region', 'Explorer', 'Accounts', 'Customers', 'Invoices', 'Prices', 'Alerts', 'Settings']) assert.ok(links.includes(l), `${l} not in nav`);
  });
  await check('shell: the page is not loaded with the first script (route-level lazy loading)', async () => {
    const scripts = await page.$$eval('script[src]', (s) => s.map((e) => e.getAttribute('src')));
    assert.equal(scripts.length, 1);
  });

  // ---- overview ----
  await page.waitForSelector('[data-testid^="mtd-"]');
  await page.waitForSelector('[data-testid^="forecast-"]');
  await page.waitForSelector('[data-testid^="change-"]');
  const mtd = await apiGet(`/api/costs/summary?from=${monthStart()}&to=${today()}`);
  await check('overview: month to date per currency equals the API summary to the cent', async () => {
    assert.ok(mtd.totals.length >= 2, 'several currencies expected');
    for (const t of mtd.totals) assert.equal(await page.textContent(`[data-testid="mtd-${t.currency}"]`), money(t.amount, t.currency));
  });
  await check('overview: forecast month end and change vs last month equal the API', async () => {
    const forecast = await apiGet('/api/costs/forecast');
    for (const c of forecast.currencies) assert.equal(await page.textContent(`[data-testid="forecast-${c.currency}"]`), money(c.monthEnd.total, c.currency));
    const mom = await apiGet('/api/costs/month-over-month');
    for (const r of mom.rows) assert.ok((await page.textContent(`[data-testid="change-${r.currency}"]`)).includes(money(r.change.replace('-', ''), r.currency)), r.currency);
  });
  await check('overview: every production account with its freshness and month-to-date cost', async () => {
    const rows = await page.$$eval('[data-testid="overview-accounts"] tbody tr', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-account'), tr.querySelector('.badge')?.textContent, tr.querySelector('td.num')?.textContent]),
    );
    assert.deepEqual(rows.map((r) => r[0]).sort(), production.map((a) => a.id).sort());
    for (const [id, badge, cost] of rows) {
      assert.equal(badge, 'Fresh', id);
      const c = mtd.byAccount.find((b) => b.accountId === id);
      assert.equal(cost, money(c.amount, c.currency), id);
    }
  });
  await check('overview: spend by cloud and top services equal the API', async () => {
    const cloud = await apiGet(`/api/costs/breakdown?groupBy=cloud&from=${monthStart()}&to=${today()}`);
    const shown = await page.$$eval('[data-testid="by-cloud"] tbody tr', (trs) => trs.map((tr) => `${tr.dataset.cloud}|${tr.querySelector('td.num')?.textContent}`));
    assert.deepEqual(shown.sort(), cloud.rows.map((r) => `${r.keys.cloud}|${money(r.amount, r.currency)}`).sort());
    const top = await apiGet(`/api/costs/top?dimension=service&limit=5&from=${monthStart()}&to=${today()}`);
    for (const c of top.currencies) {
      const amounts = await page.$$eval(`[data-testid="top-services-${c.currency}"] tbody td.num`, (tds) => tds.map((t) => t.textContent));
      assert.deepEqual(amounts, c.items.map((i) => money(i.amount, c.currency)));
    }
  });
  await shoot(page, check, 'overview', 'overview');
  await check('theme: the dark theme is kept across reloads and passes axe', async () => {
    await page.click('button.theme-toggle');
    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.reload();
    await page.waitForSelector('[data-testid^="mtd-"]');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
    if (theme !== 'dark') {
      await page.click('button.theme-toggle');
    }
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await settle(page);
    assert.deepEqual(await seriousViolations(page), []);
    await page.screenshot({ path: path.join(shots, 'overview-dark-1280.png'), fullPage: true });
    await page.click('button.theme-toggle');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  });

  // ---- cost by service and region: drill-down ----
  await nav(page, 'Cost by service & region');
  await page.waitForSelector('table.matrix tbody td button');
  await shoot(page, check, 'cost-by-service-region', 'cost by service and region');
  await check('drill-down (keyboard): a service × region cell → customers (adding up to the cell) → subscriptions', async () => {
    const cell = page.locator('table.matrix tbody td button').first();
    const cellText = (await cell.textContent()).trim();
    // By keyboard: Enter on the cell opens the drill-down and moves focus to its heading.
    await cell.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid^="drill-customers-total-"]');
    await page.waitForFunction(() => document.activeElement?.id === 'drill-heading');
    const url = new URL(page.url());
    assert.ok(url.searchParams.get('service') && url.searchParams.get('region'), 'cell not in the URL');
    const total = await page.textContent('[data-testid^="drill-customers-total-"]');
    assert.equal(total.trim(), cellText);
    await shoot(page, check, 'drill-down-customers', 'drill-down (customers)');
    await page.locator('[data-testid^="drill-customers-"] tbody button').first().click();
    await page.waitForSelector('[data-testid^="drill-subscriptions-total-"]');
    assert.ok(new URL(page.url()).searchParams.get('customer'));
    await page.locator('[data-testid^="drill-subscriptions-"] tbody button').first().click();
    await page.waitForSelector('[data-testid^="drill-meters-total-"]');
    await shoot(page, check, 'drill-down-line-items', 'drill-down (meters and line items)');
  });

  // ---- explorer ----
  await nav(page, 'Explorer');
  await page.waitForSelector('[data-testid="explorer-table"] tbody tr');
  await page.waitForSelector('.recharts-bar-rectangle');
  await check('explorer: totals per currency equal the breakdown API for the same URL state', async () => {
    const url = new URL(page.url());
    const from = url.searchParams.get('from') ?? `${new Date(Date.UTC(now().getUTCFullYear(), now().getUTCMonth() - 1, 1)).toISOString().slice(0, 10)}`;
    const to = url.searchParams.get('to') ?? today();
    const b = await apiGet(`/api/costs/breakdown?groupBy=service&from=${from}&to=${to}`);
    for (const t of b.totals) assert.equal(await page.textContent(`[data-testid="explorer-total-${t.currency}"]`), money(t.amount, t.currency));
  });
  await check('explorer: grouping by two dimensions, month granularity and a preset go into the URL', async () => {
    await page.selectOption('label:has-text("then by") select', 'region');
    // Each choice lands in the URL before the next one (a click during a render must not race it).
    await page.waitForFunction(() => new URL(location.href).searchParams.get('group') === 'service,region');
    await page.click('button:has-text("Per month")');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('gran') === 'month');
    await page.click('button:has-text("Last 3 months")');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('preset') === 'last-3-months');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('group'), 'service,region');
    assert.equal(url.searchParams.get('gran'), 'month');
    await page.waitForSelector('[data-testid="explorer-table"] thead th:has-text("Region")');
    await settle(page);
    const first = await page.textContent('[data-testid="explorer-table"] tfoot td.num');
    const b = await apiGet(`/api/costs/breakdown?groupBy=service,region&preset=last-3-months`);
    assert.equal(first, money(b.totals[0].amount, b.totals[0].currency));
    // Reload: the same view comes back from the URL alone.
    await page.reload();
    await page.waitForSelector('[data-testid="explorer-table"] thead th:has-text("Region")');
    assert.equal(await page.inputValue('label:has-text("then by") select'), 'region');
  });
  await check('explorer: save the view shared, find it in the list and the API, open it again from the list', async () => {
    const query = new URL(page.url()).search.slice(1);
    await page.fill('[data-testid="saved-views"] input[placeholder]', 'E2E service × region');
    await page.check('[data-testid="saved-views"] input[type="checkbox"]');
    await page.click('[data-testid="saved-views"] button[type="submit"]');
    await page.waitForSelector('[data-testid="saved-views"] li[data-view="E2E service × region"]');
    const listed = (await apiGet('/api/saved-views?path=/explorer')).items.find((v) => v.name === 'E2E service × region');
    assert.ok(listed, 'saved view listed by the API');
    assert.equal(listed.shared, true);
    assert.equal(listed.query, query);
    await page.goto(`${baseUrl}/explorer`);
    await page.click('[data-testid="saved-views"] a:has-text("E2E service × region")');
    await page.waitForSelector('[data-testid="explorer-table"] thead th:has-text("Region")');
    assert.equal(new URL(page.url()).search.slice(1), query);
  });
  await check('explorer: subscribe to a saved view\'s weekly e-mail report, see it in "Your e-mail reports", unsubscribe', async () => {
    const item = '[data-testid="saved-views"] li[data-view="E2E service × region"]';
    await page.selectOption(`${item} select`, 'weekly');
    await page.waitForSelector('[data-testid="report-subscriptions"] li[data-subscription="E2E service × region"]');
    const mine = (await apiGet('/api/report-subscriptions')).items.find((s) => s.viewName === 'E2E service × region');
    assert.equal(mine?.frequency, 'weekly');
    assert.equal(await page.inputValue(`${item} select`), 'weekly');
    await page.click('[data-testid="report-subscriptions"] button:has-text("Unsubscribe")');
    await page.waitForSelector('[data-testid="report-subscriptions"]', { state: 'detached' });
    assert.equal((await apiGet('/api/report-subscriptions')).items.length, 0);
    assert.equal(await page.inputValue(`${item} select`), 'none');
  });
  await check('explorer: "include estimated" adds the legacy Azure estimates, exactly as the API does', async () => {
    await page.goto(`${baseUrl}/explorer?preset=mtd&group=account`);
    await page.waitForSelector('[data-testid="explorer-table"] tbody tr');
    // A controlled checkbox: its state follows the URL, so click and wait for the URL (not page.check).
    await page.click('label:has-text("Include estimated cost") input');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('estimated') === '1');
    const withEstimates = await apiGet(`/api/costs/breakdown?groupBy=account&preset=mtd&includeEstimated=true`);
    const billedOnly = await apiGet(`/api/costs/breakdown?groupBy=account&preset=mtd`);
    assert.notDeepEqual(withEstimates.totals, billedOnly.totals, 'the stack has legacy estimates this month');
    for (const t of withEstimates.totals) {
      await page.waitForFunction(([id, text]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === text, [`explorer-total-${t.currency}`, money(t.amount, t.currency)]);
    }
  });
  await shoot(page, check, 'explorer', 'explorer');

  // ---- accounts ----
  await nav(page, 'Accounts');
  await page.waitForSelector('[data-testid="accounts-list"] tbody tr');
  await check('accounts: every account (sandbox too) with cloud, currency and freshness', async () => {
    const rows = await page.$$eval('[data-testid="accounts-list"] tbody tr', (trs) => trs.map((tr) => [tr.dataset.account, tr.children[2].textContent]));
    assert.deepEqual(rows.map((r) => r[0]).sort(), accounts.map((a) => a.id).sort());
    for (const [id, currency] of rows) assert.equal(currency, accounts.find((a) => a.id === id).currency);
  });
  await check('accounts: global-cloud accounts read the Graph billing export, the others the v1 API', async () => {
    for (const a of accounts) {
      const badge = await page.textContent(`[data-testid="read-path-${a.id}"]`);
      assert.match(badge ?? '', a.cloud === 'global' ? /Graph export/ : /v1 API/, `${a.id} (${a.cloud}): ${badge}`);
    }
  });
  await check('accounts: a backfill shows a live progress bar, then the run in the account details', async () => {
    const eu = accounts.find((a) => a.id === 'eu') ?? production[0];
    await page.selectOption('label:has-text("Account") select', eu.id);
    const from = new Date(Date.UTC(now().getUTCFullYear() - 1, now().getUTCMonth(), 1)).toISOString().slice(0, 7);
    await page.fill('label:has-text("From month") input', from);
    await page.click('button:has-text("Start backfill")');
    await page.waitForSelector('text=/Backfill .* queued/');
    // The backfill walks a year of invoices: its progress bar shows while it runs.
    await page.waitForSelector(`[data-testid="progress-${eu.id}"] progress`, { timeout: 20_000 });
    // eu reads billed usage through Graph exports: the run says what it waits for or downloads.
    if (eu.cloud === 'global') {
      const phase = await page.waitForSelector(`[data-testid="phase-${eu.id}"]`, { timeout: 30_000 });
      assert.match((await phase.textContent()) ?? '', /waiting for Microsoft to prepare the export|downloading export blob/);
    }
    await shoot(page, check, 'accounts-sync-progress', 'accounts (sync running)');
    await page.click(`tr[data-account="${eu.id}"] button:has-text("Details")`);
    await page.waitForSelector('[data-testid="sync-runs"] tbody tr');
    const runs = await apiGet(`/api/accounts/${eu.id}/sync-runs`);
    assert.ok(runs.items.some((r) => r.windowFrom === from), 'no backfill run with that window');
  });
  await check('accounts: sync now queues the streams of an account', async () => {
    const target = production[production.length - 1];
    await page.click(`tr[data-account="${target.id}"] button:has-text("Sync now")`);
    await page.waitForSelector(`tr[data-account="${target.id}"] >> text=/streams queued/`);
  });
  await check('accounts: "test connection" answers for the connect form', async () => {
    await page.fill('label:has-text("Id (2") input', 'e2e-test');
    await page.fill('label:has-text("Name") >> nth=0 >> input', 'E2E account');
    await page.fill('label:has-text("Tenant id") input', '00000000-0000-0000-0000-000000000000');
    await page.fill('label:has-text("Application id") input', 'e2e-app');
    await page.fill('label:has-text("Application secret") input', 'wrong secret');
    await page.fill('label:has-text("API base URL") input', 'http://127.0.0.1:9/');
    await page.fill('label:has-text("Token URL") input', 'http://127.0.0.1:9/token');
    await page.click('button:has-text("Test connection")');
    const result = await page.waitForSelector('[data-testid="test-result"], .state-error', { timeout: 30_000 });
    assert.match(await result.textContent(), /Connection failed|refused|error/i);
  });
  await page.waitForFunction(() => !document.querySelector('[data-testid^="progress-"]'), undefined, { timeout: 60_000 }).catch(() => undefined);
  await shoot(page, check, 'accounts', 'accounts');

  // ---- customers ----
  await nav(page, 'Customers');
  await page.waitForSelector('[data-testid="customers-table"] tbody tr');
  const customers = await apiGet('/api/customers');
  await check('customers: every customer of the month, totals equal the API per currency', async () => {
    const n = await page.$$eval('[data-testid="customers-table"] tbody tr', (trs) => trs.length);
    assert.equal(n, customers.items.length);
    const currencies = [...new Set(customers.items.map((c) => c.currency))];
    for (const c of currencies) {
      const expected = sum(customers.items.filter((i) => i.currency === c).map((i) => i.cost));
      assert.equal(await page.textContent(`[data-testid="customers-total-${c}"]`), money(expected, c));
    }
  });
  await check('customers: a customer opens its subscriptions with their costs', async () => {
    await page.locator('[data-testid="customers-table"] tbody th button').first().click();
    await page.waitForSelector('[data-testid="subscriptions-table"] tbody tr');
    const [accountId, customerId] = new URL(page.url()).searchParams.get('customer').split(':');
    const subs = await apiGet(`/api/accounts/${accountId}/customers/${customerId}/subscriptions`);
    const n = await page.$$eval('[data-testid="subscriptions-table"] tbody tr', (trs) => trs.length);
    assert.equal(n, subs.items.length);
  });
  await shoot(page, check, 'customers', 'customers and subscriptions');

  // ---- invoices ----
  await nav(page, 'Invoices');
  await page.waitForSelector('[data-testid="invoices-table"] tbody tr, .state-empty');
  const invoices = await apiGet('/api/invoices');
  await check('invoices: every invoice with its payment status', async () => {
    const rows = await page.$$eval('[data-testid="invoices-table"] tbody tr', (trs) => trs.map((tr) => tr.dataset.invoice));
    assert.equal(rows.length, invoices.items.length);
    assert.ok(invoices.items.length > 0, 'the simulator issues invoices');
  });
  await check('invoices: the reconciliation highlights the customers whose line items differ from usage', async () => {
    let found = null;
    for (const inv of invoices.items.filter((i) => i.billedUsageSynced).slice(0, 12)) {
      const rec = await apiGet(`/api/accounts/${inv.accountId}/invoices/${encodeURIComponent(inv.id)}/reconciliation`);
      if (rec.mismatches > 0) {
        found = { inv, rec };
        break;
      }
    }
    assert.ok(found, 'no invoice with a reconciliation difference among the latest');
    await page.click(`tr[data-invoice="${found.inv.id}"] >> nth=0 >> button`);
    await page.waitForSelector('[data-testid="reconciliation-table"] tbody tr');
    const bad = await page.$$eval('[data-testid="reconciliation-table"] tbody tr[data-status="mismatch"]', (trs) => trs.map((t) => t.dataset.customer));
    assert.deepEqual(bad.sort(), found.rec.rows.filter((r) => r.status === 'mismatch').map((r) => r.customerId).sort());
  });
  await shoot(page, check, 'invoices', 'invoices and reconciliation');

  // ---- prices ----
  await nav(page, 'Prices');
  await page.waitForSelector('[data-testid="prices-table"] tbody tr, .state-empty');
  await check("prices: the table's first meter and unit price equal the API's rate card", async () => {
    const account = await page.$eval('select', (s) => s.value);
    const card = await apiGet(`/api/accounts/${account}/prices?limit=50`);
    assert.ok(card.items.length > 0, 'the prices stream stored a rate card');
    const first = await page.$eval('[data-testid="prices-table"] tbody tr', (tr) => ({ meter: tr.dataset.meter, price: tr.querySelector('[data-testid="unit-price"]')?.textContent }));
    assert.deepEqual(first, { meter: card.items[0].meterId, price: card.items[0].tiers[0].unitPrice });
  });
  await check('prices: a search keeps the meters whose name or category matches, by keyboard', async () => {
    await page.fill('input[type="search"]', 'blob');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'blob');
    await page.waitForSelector('[data-testid="prices-table"] tbody tr');
    const account = await page.$eval('select', (s) => s.value);
    const card = await apiGet(`/api/accounts/${account}/prices?q=blob&limit=50`);
    const shown = await page.$$eval('[data-testid="prices-table"] tbody tr', (trs) => trs.map((t) => t.dataset.meter));
    assert.deepEqual(shown, card.items.map((p) => p.meterId));
  });
  await shoot(page, check, 'prices', 'prices');

  // ---- settings ----
  await nav(page, 'Settings');
  await page.waitForSelector('[data-testid="users-table"]');
  await shoot(page, check, 'settings-users', 'settings: users and grants');
  await page.click('nav[aria-label="Settings sections"] >> text=Exchange rates');
  await settle(page);
  const routes = Object.keys((await apiGet('/api/openapi.json')).paths ?? {});
  if (routes.includes('/api/fx-rates')) {
    await check('reporting currency: a missing rate is named; rates entered in Settings convert the overview like the API', async () => {
      const month = today().slice(0, 7);
      await page.goto(`${baseUrl}/?currency=USD`);
      await page.waitForSelector('[role="alert"] >> text=/Missing exchange rates: .*USD/');
      await page.goto(`${baseUrl}/settings/rates`);
      const currencies = [...new Set(production.map((a) => a.currency))].filter((c) => c !== 'USD');
      const sample = { EUR: '1.0850', CNY: '0.1400', GBP: '1.2700' };
      for (const base of currencies) {
        await page.fill('label:has-text("Base") input', base);
        await page.fill('label:has-text("Quote") input', 'USD');
        await page.fill('label:has-text("Month") input', month);
        await page.fill('label:has-text("Rate (1 base") input', sample[base] ?? '1.0000');
        await page.click('button:has-text("Save rate")');
        await page.waitForSelector(`[data-testid="fx-rates"] tbody tr >> text=${base} → USD`);
      }
      await shoot(page, check, 'settings-rates', 'settings: exchange rates');
      await page.goto(`${baseUrl}/?currency=USD`);
      await page.waitForSelector('[data-testid="mtd-reporting"]');
      const api = await apiGet(`/api/costs/summary?from=${monthStart()}&to=${today()}&currency=USD`);
      assert.equal(await page.textContent('[data-testid="mtd-reporting"]'), money(api.reporting.total, 'USD'));
      await page.click('[data-testid="reporting-card"] summary:has-text("Rates used")');
      const used = await page.$$eval('[data-testid="reporting-card"] [data-testid="rates-used"] tbody tr', (trs) => trs.length);
      assert.equal(used, api.reporting.ratesUsed.length);
      await shoot(page, check, 'overview-reporting-currency', 'overview in a reporting currency');
      await page.goto(`${baseUrl}/explorer?preset=mtd&group=account&currency=USD`);
      await page.waitForSelector('[data-testid="explorer-total-reporting"]');
      const b = await apiGet('/api/costs/breakdown?preset=mtd&groupBy=account&currency=USD');
      assert.equal(await page.textContent('[data-testid="explorer-total-reporting"]'), money(b.reporting.total, 'USD'));
    });
  } else {
    console.log('    (no /api/fx-rates on this server: reporting currency not checked)');
    await shoot(page, check, 'settings-rates', 'settings: exchange rates');
  }
  await nav(page, 'Settings');
  await page.click('nav[aria-label="Settings sections"] >> text=Exchange rates');
  await page.click('nav[aria-label="Settings sections"] >> text=Notification channels');
  await settle(page);
  await alertsFlow({ page, check, baseUrl, apiGet, production });

  await check('at 390 px the menu button opens the nav, and a link closes it again', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await page.isVisible('#main-nav'), false);
    await page.click('.menu-button');
    assert.equal(await page.getAttribute('.menu-button', 'aria-expanded'), 'true');
    await page.click('#main-nav >> text="Explorer"');
    await page.waitForSelector('[data-testid="explorer-table"]');
    assert.equal(await page.isVisible('#main-nav'), false);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  const me = await apiGet('/api/auth/me');
  const userPage = async (email, grants) => {
    const res = await fetch(`${baseUrl}/api/users`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': me.csrfToken ?? '' },
      body: JSON.stringify({ email, displayName: email, password: 'e2e password 1234', grants }),
    });
    assert.ok(res.ok, `create user: HTTP ${res.status}`);
    const other = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await other.goto(`${baseUrl}/`);
    await other.fill('input[type="email"]', email);
    await other.fill('input[type="password"]', 'e2e password 1234');
    await other.click('button[type="submit"]');
    return other;
  };
  await check('empty state: no cost in view says so instead of an empty chart', async () => {
    const eu = production.find((a) => a.id === 'eu') ?? production[0];
    const other = await userPage('empty@e2e.test', [{ accountId: eu.id, role: 'viewer', customerId: 'no-such-customer' }]);
    await other.waitForSelector('text=No cost yet this month for these accounts.');
    await other.screenshot({ path: path.join(shots, 'overview-empty-1280.png'), fullPage: true });
    assert.deepEqual(await seriousViolations(other), []);
    await other.close();
  });
  await check('error state: a user without any grant is told to ask for access', async () => {
    const other = await userPage('nogrant@e2e.test', []);
    await other.waitForSelector('[role="alert"] >> text=/ask the owner/i');
    assert.deepEqual(await seriousViolations(other), []);
    await other.close();
  });

  await check('no uncaught error in the page while walking every page', async () => {
    assert.deepEqual(errors, []);
  });
  await page.close();
}
