#!/usr/bin/env node
// The SQL of a year's resource group × service and a year's meters on a kept SQLite dataset
// (bench:query --data DIR), alone: one statement against two parts cut at the median of the
// longest span's groups, each part on its own read-only connection in a worker thread, as the
// store runs them (decision 0032). Median wall time of --runs.
//   node bench/query/span-parts.cjs --data DIR [--runs 15]
const path = require('node:path');
const { parseArgs } = require('node:util');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const SUMS = ['billed_l0', 'billed_l1', 'billed_l2', 'row_count'].map((c) => `CAST(SUM(${c}) AS TEXT)`).join(', ');
const SANDBOX = '+billing_account_id IN (SELECT id FROM account WHERE sandbox = 0)';
/** The store's statements for the two queries (CostRepository.segmentQuery), with room for a range. */
const QUERIES = {
  rg: {
    table: 'cost_span_resource_group',
    column: 'x_resource_group',
    select: 'x_resource_group AS d0, service_name AS d1',
    groupBy: '1, 2, 3',
  },
  meter: { table: 'cost_span_meter', column: 'x_meter_id', select: 'x_meter_id AS d0', groupBy: '1, 2' },
};
const sqlOf = (q, spans, range) =>
  `SELECT ${q.select}, billing_currency AS currency, ${SUMS} FROM ${q.table} WHERE span IN (${spans.map(() => '?').join(', ')}) AND ${SANDBOX}${range} GROUP BY ${q.groupBy}`;

if (!isMainThread) {
  const db = new Database(workerData.file, { readonly: true });
  parentPort.on('message', ({ sql, params }) =>
    parentPort.postMessage(
      db
        .prepare(sql)
        .raw()
        .all(...params).length,
    ),
  );
} else {
  const { values } = parseArgs({ options: { data: { type: 'string' }, runs: { type: 'string', default: '15' } } });
  if (!values.data) throw new Error('usage: span-parts.cjs --data DIR');
  const file = path.join(path.resolve(values.data), 'meridian.sqlite');
  const { spansCovering, spanMonths } = require('@meridian/store');
  const { year } = require('./dataset.cjs').RANGES;
  const spans = spansCovering(year.from.slice(0, 7), year.to.slice(0, 7));
  const longest = spans.reduce((a, b) => (spanMonths(b) > spanMonths(a) ? b : a));
  const db = new Database(file, { readonly: true });
  const threads = [0, 1].map(() => new Worker(__filename, { workerData: { file } }));
  const run = (thread, sql, params) => new Promise((resolve) => (thread.once('message', resolve), thread.postMessage({ sql, params })));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(1);
  (async () => {
    const key = db
      .prepare(`SELECT group_concat(name, ', ') AS k FROM (SELECT name FROM pragma_table_info('cost_span_meter') WHERE pk > 0 ORDER BY pk)`)
      .get().k;
    console.log(`spans ${spans.join(' ')}; cost_span_meter keyed (${key})`);
    for (const [name, q] of Object.entries(QUERIES)) {
      const { n } = db.prepare(`SELECT count(*) AS n FROM ${q.table} WHERE span = ?`).get(longest);
      const { v: cut } = db
        .prepare(`SELECT ${q.column} AS v FROM ${q.table} WHERE span = ? ORDER BY ${q.column} LIMIT 1 OFFSET ${Math.floor(n / 2)}`)
        .get(longest);
      const whole = [];
      const parts = [];
      let groups = 0;
      for (let i = 0; i < Number(values.runs); i++) {
        let t = performance.now();
        groups = await run(threads[0], sqlOf(q, spans, ''), spans);
        whole.push(performance.now() - t);
        t = performance.now();
        const [a, b] = await Promise.all([
          run(threads[0], sqlOf(q, spans, ` AND ${q.column} < ?`), [...spans, cut]),
          run(threads[1], sqlOf(q, spans, ` AND ${q.column} >= ?`), [...spans, cut]),
        ]);
        parts.push(performance.now() - t);
        if (a + b !== groups) throw new Error(`${name}: the parts hold ${a} + ${b} groups, the whole ${groups}`);
      }
      console.log(
        `${name}: ${groups} groups (${n} in ${longest}); one statement ${median(whole)} ms, two parts at once ${median(parts)} ms`,
      );
    }
    await Promise.all(threads.map((t) => t.terminate()));
  })();
}
