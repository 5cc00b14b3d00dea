// Issue 16: no chart ever puts two currencies on one axis, on any page, with or without a reporting
// currency; with the organisation's reporting currency set, Overview, Cost by service and region and
// Explorer open consolidated in it, with the rates used (source, month, lock) one click away.
// Each chart's container carries `data-chart-currency`, computed from the data it plots: a chart
// mixing currencies shows "CNY,EUR" there and fails this suite.
import assert from 'node:assert/strict';
import { today } from './clock.mjs';
import { money } from './pages.e2e.mjs';
import { OWNER } from './stack.mjs';

export const name = 'reporting currency and one currency per chart';

const CODE = /^[A-Z]{3}$/;

async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 20_000 }).catch(() => undefined);
  await page.waitForTimeout(300);
}

/** Every chart on the page with the currencies it plots; a chart outside a labelled container counts as unlabelled. */
async function chartsOn(page) {
  return page.$$eval('.recharts-wrapper', (charts) =>
    charts.map((c) => {
      const box = c.closest('[data-chart-currency]');
      return { currency: box ? box.getAttribute('data-chart-currency') : '(unlabelled)', label: box?.getAttribute('aria-label') ?? '' };
    }),
  );
}

export async function run({ browser, baseUrl, check }) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}/`);
  await page.waitForSelector('form[aria-labelledby="login-heading"]');
  await page.fill('input[type="email"]', OWNER.email);
  await page.fill('input[type="password"]', OWNER.password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#main-nav');
  // The browser's own session (cookie + CSRF token) for API calls the UI does not make itself.
  const api = (method, path, body) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const me = await (await fetch('/api/auth/me')).json();
        const res = await fetch(path, {
          method,
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: await res.json().catch(() => null) };
      },
      { method, path, body },
    );
  const paths = [
    ...new Set([
      ...(await page.$$eval('#main-nav a', (as) => as.map((a) => new URL(a.href).pathname))),
      '/settings/reporting',
      '/settings/rates',
    ]),
  ];

  /** Walks every page; asserts each chart plots exactly one currency. Returns the charts per page. */
  const walk = async (query = '') => {
    const seen = {};
    for (const p of paths) {
      await page.goto(`${baseUrl}${p}${query}`);
      await settle(page);
      // Charts load lazily: give the cost pages' charts time to draw.
      if (['/', '/costs/service-region', '/explorer'].includes(p)) await page.waitForSelector('.recharts-wrapper', { timeout: 20_000 });
      await settle(page);
      seen[p] = await chartsOn(page);
      for (const c of seen[p]) assert.match(c.currency, CODE, `${p}: chart "${c.label}" plots ${c.currency}`);
    }
    return seen;
  };

  const summary = (q) => api('GET', `/api/costs/summary?preset=mtd${q}`);
  const perCurrency = (await summary('')).body.totals.map((t) => t.currency);

  await check(
    'without a reporting currency: every chart on every page plots one currency; Spend by cloud draws one chart per currency',
    async () => {
      assert.equal((await api('PUT', '/api/settings', { reportingCurrency: null })).status, 200);
      const seen = await walk();
      assert.ok(Object.values(seen).flat().length >= 5, `too few charts found: ${JSON.stringify(seen)}`);
      await page.goto(`${baseUrl}/`);
      await page.waitForSelector('section[aria-labelledby="cloud-heading"] .recharts-wrapper');
      await settle(page);
      const cloudCharts = await page.$$eval('section[aria-labelledby="cloud-heading"] [data-chart-currency]', (fs) =>
        fs.map((f) => f.getAttribute('data-chart-currency')),
      );
      assert.deepEqual(cloudCharts, [...perCurrency].sort());
      assert.equal(await page.$('[data-testid="reporting-card"]'), null);
    },
  );

  // 21Vianet prices in CNY, so Microsoft's rates cannot give CNY→EUR: finance enters it by hand.
  const months = [-2, -1, 0].map((d) => {
    const [y, m] = today().slice(0, 7).split('-').map(Number);
    const i = y * 12 + m - 1 + d;
    return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  });

  await check('Settings → Reporting currency: an admin sets EUR and puts Microsoft\'s rates first, saved and audited', async () => {
    const rates = await api('PUT', '/api/fx-rates', {
      rates: months.map((period) => ({ base: 'EUR', quote: 'CNY', period, rate: '7.6543' })),
    });
    assert.equal(rates.status, 200, JSON.stringify(rates.body));
    await page.goto(`${baseUrl}/settings/reporting`);
    await page.waitForSelector('[data-testid="reporting-settings"]');
    await page.selectOption('select[name="reportingCurrency"]', 'EUR');
    // Earlier suites entered manual EUR→USD rates: Microsoft first makes USD→EUR Microsoft's.
    await page.click('button[aria-label="Move Microsoft\'s billing rate up"]');
    await page.click('button:has-text("Save settings")');
    await page.waitForSelector('text=Saved. Cost pages now open with these settings.');
    const saved = (await api('GET', '/api/settings')).body;
    assert.deepEqual([saved.reportingCurrency, saved.rateSources], ['EUR', ['microsoft', 'manual', 'ecb-csv']]);
    const audit = await api('GET', '/api/audit?limit=20');
    assert.ok(
      audit.body.items.some((e) => e.action === 'settings.update'),
      'settings change not audited',
    );
    await page.waitForSelector('[data-testid="billing-rates"] tbody tr');
    assert.match(await page.textContent('[data-testid="billing-rates"]'), /USD → EUR/);
  });

  await check(
    'with EUR as the default: the Overview opens consolidated, its total equals the API, the rates used (source, lock) are one click away',
    async () => {
      await page.goto(`${baseUrl}/`);
      await page.waitForSelector('[data-testid="reporting-card"]');
      await settle(page);
      const api1 = (await summary('&currency=EUR')).body.reporting;
      assert.equal(await page.textContent('[data-testid="mtd-reporting"]'), money(api1.total, 'EUR'));
      await page.click('[data-testid="reporting-card"] summary');
      const rows = await page.$$eval('[data-testid="reporting-card"] [data-testid="rates-used"] tbody tr', (trs) =>
        trs.map((tr) => [...tr.children].map((td) => td.textContent)),
      );
      assert.deepEqual(
        rows.map((r) => [r[0], r[1], r[2], r[3], r[5]]),
        api1.ratesUsed.map((u) => [
          u.period,
          u.from,
          u.to,
          u.factor,
          { microsoft: "Microsoft's billing rate", manual: 'manual entry', 'ecb-csv': 'ECB reference rate' }[u.source],
        ]),
      );
      assert.ok(
        api1.ratesUsed.some((u) => u.source === 'microsoft' && u.from === 'USD'),
        'USD→EUR should come from Microsoft',
      );
      assert.ok(
        api1.ratesUsed.some((u) => u.source === 'manual' && u.from === 'CNY'),
        'CNY→EUR should come from the manual entry',
      );
      const cloudCharts = await page.$$eval('section[aria-labelledby="cloud-heading"] [data-chart-currency]', (fs) =>
        fs.map((f) => f.getAttribute('data-chart-currency')),
      );
      assert.deepEqual(cloudCharts, ['EUR']);
    },
  );

  await check('with EUR as the default: Cost by service and region opens consolidated, equal to the API', async () => {
    await page.goto(`${baseUrl}/costs/service-region`);
    await page.waitForSelector('section.consolidated-section[data-reporting-currency="EUR"] .recharts-wrapper');
    // The page's default range: the first of the previous month to today.
    const body = (await api('GET', `/api/costs/breakdown?groupBy=service,region&currency=EUR&from=${months[1]}-01&to=${today()}`)).body;
    assert.equal(await page.textContent('[data-testid="consolidated-total"]'), money(body.reporting.total, 'EUR'));
    await page.click('section.consolidated-section summary');
    assert.ok((await page.$$('section.consolidated-section [data-testid="rates-used"] tbody tr')).length > 0);
  });

  await check('with EUR as the default: the Explorer opens with a consolidated trend in EUR', async () => {
    await page.goto(`${baseUrl}/explorer`);
    await page.waitForSelector('.currency-block.consolidated[data-reporting-currency="EUR"] [data-chart-currency="EUR"] .recharts-wrapper');
    await page.waitForSelector('[data-testid="explorer-total-reporting"]');
    assert.equal(
      await page.textContent('[data-testid="trend-reporting-total"]'),
      await page.textContent('[data-testid="explorer-total-reporting"]'),
    );
  });

  await check(
    'with a reporting currency: still no chart on any page mixes currencies; "none" in the URL goes back to one chart per currency',
    async () => {
      await walk();
      await page.goto(`${baseUrl}/?currency=none`);
      await page.waitForSelector('section[aria-labelledby="cloud-heading"] .recharts-wrapper');
      await settle(page);
      assert.equal(await page.$('[data-testid="reporting-card"]'), null);
      const cloudCharts = await page.$$eval('section[aria-labelledby="cloud-heading"] [data-chart-currency]', (fs) =>
        fs.map((f) => f.getAttribute('data-chart-currency')),
      );
      assert.deepEqual(cloudCharts, [...perCurrency].sort());
    },
  );

  await check('no page error in the browser', async () => {
    assert.deepEqual(errors, []);
  });
  // Leave the organisation as the other suites expect it.
  await api('PUT', '/api/settings', { reportingCurrency: null, rateSources: ['manual', 'microsoft', 'ecb-csv'] });
  await page.close();
}
