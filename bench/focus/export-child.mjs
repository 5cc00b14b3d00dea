// One export in a fresh process, so its peak RSS is the export's own (bench/focus/focus.mjs).
//   node bench/focus/export-child.mjs <sqlite file> <secret key base64> <focus-csv|focus-parquet|costs-csv> <from> <to>
// Prints one JSON line: { rows, bytes, seconds, peakRssMb }.
import { Writable } from 'node:stream';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Store, SecretBox, AccessScope } = require('@meridian/store');
const { ExportsService } = require('../../apps/api/dist/exports/exports.service.js');

const [database, key, kind, from, to] = process.argv.slice(2);
const store = await Store.open({ type: 'sqlite', database }, SecretBox.fromKey(Buffer.from(key, 'base64')));
// The bytes are counted and dropped: the export is measured, not the disk.
let bytes = 0;
const sink = new Writable({
  highWaterMark: 1 << 16,
  write(chunk, _enc, done) {
    bytes += chunk.length;
    setImmediate(done);
  },
});
const service = new ExportsService(store);
const filter = { from, to, includeSandbox: false, includeEstimated: false };
const t0 = process.hrtime.bigint();
const rows =
  kind === 'costs-csv'
    ? await service.writeCsv(AccessScope.all(), { ...filter, kind: 'line-items' }, sink, { userId: 'bench' })
    : await service.writeFocus(AccessScope.all(), { ...filter, format: kind === 'focus-parquet' ? 'parquet' : 'csv' }, sink, { userId: 'bench' });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
await store.close();
// maxRSS: the process's peak resident set (KiB on Linux).
console.log(JSON.stringify({ rows, bytes, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
