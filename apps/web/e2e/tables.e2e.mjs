// The one table component (DataTable) in a real browser: sort by a money column in exact order both
// ways, sort by keyboard, hide and show a column from the "Columns" menu, totals per currency equal
// the API's exact sums, and a long list renders only a window of rows yet scrolls to its last one.
import assert from 'node:assert/strict';
import { money, sum } from './pages.e2e.mjs';
import { OWNER } from './stack.mjs';

export const name = 'tables';

/** Decimal string → scaled BigInt (12 places), for an exact order without floats. */
const units = (v) => {
  const neg = v.startsWith('-');
  const [i, f = ''] = v.replace('-', '').split('.');
  const u = BigInt(i + (f + '0'.repeat(12)).slice(0, 12));
  return neg ? -u : u;
};
/** The table's money order: currencies apart (alphabetical), amounts exactly within a currency. */
const byMoney = (a, b) => a.currency.localeCompare(b.currency) || (units(a.amount) < units(b.amount) ? -1 : units(a.amount) > units(b.amount) ? 1 : 0);

export async function run({ browser, baseUrl, check, cookie }) {
  const apiGet = async (p) => {
    const res = await fetch(`${baseUrl}${p}`, { headers: { cookie } });
    assert.ok(res.ok, `${p}: HTTP ${res.status}`);
    return res.json();
  };
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${baseUrl}/customers`);
  await page.waitForSelector('form[aria-labelledby="login-heading"]');
  await page.fill('input[type="email"]', OWNER.email);
  await page.fill('input[type="password"]', OWNER.password);
  await page.click('button[type="submit"]');
  const table = '[data-testid="customers-table"]';
  await page.waitForSelector(`${table} tbody tr`);
  const customers = (await apiGet('/api/customers')).items;
  const costsShown = () => page.$$eval(`${table} tbody tr:not(.spacer) td[data-label="Cost"]`, (tds) => tds.map((td) => td.textContent));
  const ariaSort = (column) => page.getAttribute(`${table} th[data-column="${column}"]`, 'aria-sort');

  await check('sort: a money column sorts ascending, then descending, in exact decimal order per currency', async () => {
    assert.ok(new Set(customers.map((c) => c.currency)).size >= 2, 'several currencies expected');
    const expected = customers.map((c) => ({ amount: c.cost, currency: c.currency })).sort(byMoney);
    assert.equal(await ariaSort('cost'), 'none');
    await page.click(`${table} th[data-column="cost"] button`);
    assert.equal(await ariaSort('cost'), 'ascending');
    assert.deepEqual(await costsShown(), expected.map((m) => money(m.amount, m.currency)));
    await page.click(`${table} th[data-column="cost"] button`);
    assert.equal(await ariaSort('cost'), 'descending');
    assert.deepEqual(await costsShown(), [...expected].reverse().map((m) => money(m.amount, m.currency)));
  });

  await check('keyboard: Tab from the table region reaches the first header, Enter and Space sort', async () => {
    await page.focus(`${table}`).catch(() => undefined);
    await page.evaluate((sel) => document.querySelector(sel).closest('[role="region"]').focus(), table);
    await page.keyboard.press('Tab');
    assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /^Customer/);
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'BUTTON');
    await page.keyboard.press('Enter');
    assert.equal(await ariaSort('name'), 'ascending');
    assert.equal(await ariaSort('cost'), 'none', 'one sorted column at a time');
    const names = await page.$$eval(`${table} tbody tr:not(.spacer) th`, (ths) => ths.map((th) => th.textContent));
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    assert.deepEqual(names, [...names].sort(collator.compare));
    // Space on the money column's header: ascending by keyboard as by mouse.
    await page.focus(`${table} th[data-column="cost"] button`);
    await page.keyboard.press('Space');
    assert.equal(await ariaSort('cost'), 'ascending');
    assert.deepEqual(await costsShown(), customers.map((c) => ({ amount: c.cost, currency: c.currency })).sort(byMoney).map((m) => money(m.amount, m.currency)));
  });

  await check('columns: the "Columns" menu hides and shows a column, by keyboard', async () => {
    const menu = '[data-testid="customers-table-columns"]';
    await page.focus(`${menu} summary`);
    await page.keyboard.press('Enter');
    await page.focus(`${menu} input[data-column="domain"]`);
    await page.keyboard.press('Space');
    await page.waitForSelector(`${table} th[data-column="domain"]`, { state: 'detached' });
    assert.equal((await page.$$(`${table} td[data-label="Domain"]`)).length, 0);
    // The footer's label still spans the columns before the total, whatever is hidden.
    const span = await page.getAttribute(`${table} tfoot tr th`, 'colspan');
    assert.equal(span, String((await page.$$(`${table} thead th`)).length - 1));
    await page.keyboard.press('Space');
    await page.waitForSelector(`${table} th[data-column="domain"]`);
    assert.equal((await page.$$(`${table} tbody tr:not(.spacer) td[data-label="Domain"]`)).length, customers.length);
    assert.equal(await page.getAttribute(`${table} th[data-column="name"]`, 'data-column'), 'name');
    assert.equal(await page.$(`${menu} input[data-column="name"]`), null, 'the row header cannot be hidden');
  });

  await check('totals: one footer row per currency, each column summed exactly, never two currencies in a row', async () => {
    await page.goto(`${baseUrl}/invoices`);
    await page.waitForSelector('[data-testid="invoices-table"] tbody tr');
    const invoices = (await apiGet('/api/invoices')).items;
    const currencies = [...new Set(invoices.map((i) => i.currency))].sort();
    assert.ok(currencies.length >= 2, 'invoices in several currencies expected');
    for (const c of currencies) {
      const mine = invoices.filter((i) => i.currency === c);
      for (const col of ['total', 'paid', 'balance'])
        assert.equal(await page.textContent(`[data-testid="invoices-${col}-total-${c}"]`), money(sum(mine.map((i) => i[col])), c), `${col} ${c}`);
    }
    const rows = await page.$$eval('[data-testid="invoices-table"] tfoot tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).filter(Boolean)));
    assert.equal(rows.length, currencies.length);
    for (const cells of rows) assert.equal(new Set(cells.map((t) => t.split(' ').pop())).size, 1, `mixed currencies in ${cells}`);
  });

  await check('virtualised: a long list keeps only a window of rows in the page and scrolls to its last row', async () => {
    // The first two-dimension grouping of the explorer with more rows than the window threshold.
    let group;
    let total = 0;
    for (const g of ['subscription,meter', 'resourceGroup,meter', 'customer,meter', 'meter,region']) {
      const b = await apiGet(`/api/costs/breakdown?groupBy=${g}&preset=last-3-months`).catch(() => null);
      if (b && b.rows.length > 150) {
        group = g;
        total = b.rows.length;
        break;
      }
    }
    assert.ok(group, 'no explorer grouping with more than 150 rows in the last three months');
    const t = '[data-testid="explorer-table"]';
    await page.goto(`${baseUrl}/explorer?preset=last-3-months&group=${group}`);
    await page.waitForSelector(`${t} tbody tr[aria-rowindex]`);
    assert.equal(await page.getAttribute(t, 'data-row-count'), String(total));
    const rowCount = Number(await page.getAttribute(t, 'aria-rowcount'));
    const footers = (await page.$$(`${t} tfoot tr`)).length;
    assert.equal(rowCount, 1 + total + footers);
    const rendered = (await page.$$(`${t} tbody tr:not(.spacer)`)).length;
    assert.ok(rendered < total && rendered <= 80, `${rendered} of ${total} rows in the DOM`);
    console.log(`    explorer grouped by ${group}: ${rendered} of ${total} rows in the DOM`);
    await page.$eval(t, (el) => {
      const region = el.closest('[role="region"]');
      region.scrollTop = region.scrollHeight;
    });
    await page.waitForSelector(`${t} tbody tr[aria-rowindex="${total + 1}"]`);
    assert.ok((await page.$$(`${t} tbody tr:not(.spacer)`)).length <= 80);
    // The header stays in view while the rows scroll under it.
    const [regionTop, headerTop] = await page.$eval(t, (el) => [el.closest('[role="region"]').getBoundingClientRect().top, el.querySelector('thead th').getBoundingClientRect().top]);
    assert.ok(Math.abs(headerTop - regionTop) <= 2, `sticky header at ${headerTop}, region at ${regionTop}`);
  });
  await page.close();
}
