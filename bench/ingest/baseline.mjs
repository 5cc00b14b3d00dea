// Baseline of the ingest benchmark: the same rows, into the same table and natural-key index
// (created by our migrations in a fresh SQLite file), straight through better-sqlite3 with one
// prepared upsert statement and 5,000-row transactions. Only the insert time is measured.
// order "arrival": the rows in the order the sync wrote them (SQLite rowid, PostgreSQL ctid), i.e.
// day by day with natural keys (hashes) at random places of the index, as a sync receives them.
// order "key": sorted by natural key, so the index only ever grows at its end (its cheapest case).
// order "arrival-aggregates": arrival order, and each 5,000-row transaction also adds the rows to the
// five pre-aggregates (decision 0017) through the store's own AggregateDeltas/AggregateWriter: the
// least the store itself must do per row, so the sync's ratio to it is the cost of the pipeline.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { openStore } = require('@meridian/store');

const { source, target, accountId, order } = JSON.parse(process.argv[2]);
const CHUNK = 5000;

// Same schema as the real store: run our migrations on the target file, then close TypeORM.
const withAggregates = order === 'arrival-aggregates';
const ds = await openStore({ type: 'sqlite', database: target });
const columns = ds.getMetadata('CostLineItemEntity').columns.map((c) => c.databaseName);
// With aggregates the writer needs the store's DataSource (its better-sqlite3 connection is the one used here).
const aggregates = withAggregates ? require('@meridian/store/dist/repositories/cost-aggregates.js') : undefined;
const writer = aggregates ? new aggregates.AggregateWriter(ds) : undefined;
if (!withAggregates) await ds.destroy();

const src = await openStore(source);
const db = withAggregates ? ds.driver.databaseConnection : new Database(target);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
// The SQLite default, as the plain baseline's fresh connection has (openStore raised it for the store's own checkpointer).
db.pragma('wal_autocheckpoint = 1000');
const upsert = db.prepare(
  `INSERT INTO cost_line_item (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (billing_account_id, x_natural_key) DO UPDATE SET ${columns.filter((c) => c !== 'billing_account_id' && c !== 'x_natural_key').map((c) => `${c} = excluded.${c}`).join(', ')}`,
);
/** A source row's values in column order (SQLite binds no booleans). */
const valuesOf = (r) => columns.map((c) => (typeof r[c] === 'boolean' ? Number(r[c]) : r[c]));
const insertChunk = db.transaction((rows) => {
  for (const r of rows) upsert.run(valuesOf(r));
});
const p = (n) => (source.type === 'postgres' ? `$${n}` : '?');

// Keyset paging over the source so the baseline never holds more than one chunk either.
const position = order === 'key' ? 'x_natural_key' : source.type === 'postgres' ? 'ctid' : 'rowid';
const positionType = position === 'ctid' ? '::tid' : '';
let rows = 0;
let insertNs = 0n;
let after = position === 'x_natural_key' ? '' : position === 'ctid' ? '(0,0)' : -1;
for (;;) {
  const chunk = await src.query(
    `SELECT ${columns.join(', ')}, ${position} AS bench_position FROM cost_line_item WHERE billing_account_id = ${p(1)} AND ${position} > ${p(2)}${positionType} ` +
      `ORDER BY ${position} LIMIT ${CHUNK}`,
    [accountId, after],
  );
  if (chunk.length === 0) break;
  const t0 = process.hrtime.bigint();
  if (writer) {
    db.exec('BEGIN');
    const deltas = new aggregates.AggregateDeltas();
    for (const r of chunk) {
      upsert.run(valuesOf(r));
      deltas.add(aggregates.aggregatedRowFromRaw(r), 1);
    }
    await writer.apply(undefined, deltas);
    db.exec('COMMIT');
  } else insertChunk(chunk);
  insertNs += process.hrtime.bigint() - t0;
  rows += chunk.length;
  const last = chunk[chunk.length - 1].bench_position;
  after = position === 'rowid' ? Number(last) : String(last);
}
await src.destroy();
if (withAggregates) await ds.destroy();
else db.close();
process.stdout.write(JSON.stringify({ rows, seconds: Number(insertNs) / 1e9 }) + '\n');
