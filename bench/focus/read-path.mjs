#!/usr/bin/env node
// The line-item read alone (docs/performance.md, FOCUS export: "Paged account by account"): pages of
// 1,000 rows through a viewer's scope (5 of the 6 accounts) with the single query used before (IN list
// + row-value keyset) and with the per-account reads the store uses now (CostRepository.pageByAccount,
// its SQL written out here), alternately on one SQLite file, twice each.
//   node bench/focus/read-path.mjs [rows=300000]   (keeps the seeded file in $TMPDIR for reruns)
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { Store, SecretBox } = require('@meridian/store');
const dataset = require('../query/dataset.cjs');
const ROWS = Number(process.argv[2] ?? 300000);
const file = path.join(tmpdir(), `meridian-focus-read-path-${ROWS}.sqlite`);
const fs = require('node:fs');
if (!fs.existsSync(file)) {
  const catalog = dataset.buildCatalog(42, ROWS);
  const store = await Store.open({ type: 'sqlite', database: file }, SecretBox.fromKey(Buffer.alloc(32, 1)));
  const columns = store.dataSource.getMetadata('cost_line_item').columns.map((c) => ({ property: c.propertyName, column: c.databaseName }));
  for (const a of catalog.accounts) await store.accounts.upsertConnection({ id: a.id, name: a.id, cloud: a.cloud, tenantId: 't', appId: 'a', secret: 's', apiBaseUrl: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9/t', tokenResource: 'r', currency: a.currency, sandbox: false, enabled: false }, { userId: null, via: 'x' });
  await store.close();
  const db = new Database(file);
  const insert = db.prepare(`INSERT INTO cost_line_item (${columns.map((c) => c.column).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const tx = db.transaction((page) => { for (const r of page) insert.run(columns.map((c) => r[c.property] ?? null)); });
  for (const page of dataset.pages(catalog, 5000)) tx(page);
  db.close();
}
const db = new Database(file, { readonly: true });
const { from, to } = dataset.RANGES.year;
const ids = ['china', 'germany', 'global-eu', 'global-us', 'usgov'];
const cols = 'billing_account_id AS a, x_natural_key AS k, charge_period_start, billed_cost, service_name, x_customer_id';
const base = `charge_period_start >= ? AND charge_period_start <= ? AND x_source <> 'estimated' AND x_source <> 'pending'`;
const oldFirst = db.prepare(`SELECT ${cols} FROM cost_line_item WHERE ${base} AND billing_account_id IN (${ids.map(() => '?').join(',')}) AND billing_account_id IN (SELECT id FROM account WHERE sandbox = 0) ORDER BY billing_account_id, x_natural_key LIMIT 1000`);
const oldNext = db.prepare(`SELECT ${cols} FROM cost_line_item WHERE ${base} AND billing_account_id IN (${ids.map(() => '?').join(',')}) AND billing_account_id IN (SELECT id FROM account WHERE sandbox = 0) AND (billing_account_id, x_natural_key) > (?, ?) ORDER BY billing_account_id, x_natural_key LIMIT 1000`);
const newFirst = db.prepare(`SELECT ${cols} FROM cost_line_item WHERE ${base} AND billing_account_id IN (?) ORDER BY x_natural_key LIMIT ?`);
const newNext = db.prepare(`SELECT ${cols} FROM cost_line_item WHERE ${base} AND billing_account_id IN (?) AND x_natural_key > ? ORDER BY x_natural_key LIMIT ?`);
const nextAcc = db.prepare('SELECT MIN(billing_account_id) AS id FROM cost_line_item WHERE billing_account_id > ?');
const firstAcc = db.prepare('SELECT MIN(billing_account_id) AS id FROM cost_line_item');
const nonSandbox = db.prepare('SELECT id FROM account WHERE sandbox = 0');
function runOld() {
  let n = 0; let last;
  for (;;) {
    const page = last ? oldNext.all(from, to, ...ids, last.a, last.k) : oldFirst.all(from, to, ...ids);
    n += page.length; if (page.length < 1000) return n; last = page[page.length - 1];
  }
}
function pageNew(after) {
  const ok = new Set(nonSandbox.all().map((r) => r.id));
  const rows = []; let acc = after ? after.a : firstAcc.get().id; let key = after?.k;
  while (acc !== null) {
    if (ids.includes(acc) && ok.has(acc)) {
      rows.push(...(key === undefined ? newFirst.all(from, to, acc, 1000 - rows.length) : newNext.all(from, to, acc, key, 1000 - rows.length)));
      if (rows.length >= 1000) break;
    }
    acc = nextAcc.get(acc).id; key = undefined;
  }
  return rows;
}
function runNew() {
  let n = 0; let last;
  for (;;) { const page = pageNew(last); n += page.length; if (page.length < 1000) return n; last = page[page.length - 1]; }
}
for (let round = 0; round < 2; round++) {
  for (const [name, fn] of [['old', runOld], ['new', runNew]]) {
    const t = process.hrtime.bigint(); const n = fn(); const s = Number(process.hrtime.bigint() - t) / 1e9;
    console.log(`${name}: ${n} rows in ${s.toFixed(2)} s = ${Math.round(n / s)} rows/s`);
  }
}
