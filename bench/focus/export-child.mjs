// One export in a fresh process, so its peak RSS is the export's own (bench/focus/focus.mjs).
//   node bench/focus/export-child.mjs <store config JSON> <secret key base64> <focus-csv|focus-parquet|costs-csv> <from> <to> <all|viewer>
// Prints one JSON line: { rows, bytes, seconds, peakRssMb }.
import { Writable } from 'node:stream';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Store, SecretBox, AccessScope } = require('@meridian/store');
const { ExportsService } = require('../../apps/api/dist/exports/exports.service.js');

const [config, key, kind, from, to, scopeKind] = process.argv.slice(2);
const store = await Store.open(JSON.parse(config), SecretBox.fromKey(Buffer.from(key, 'base64')));
// viewer: an explicit account list (every account but one), as a user's grants give it.
const scope = scopeKind === 'viewer' ? AccessScope.accounts((await store.accounts.list(AccessScope.all())).map((a) => a.id).filter((id) => id !== 'global-apac')) : AccessScope.all();
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
    ? await service.writeCsv(scope, { ...filter, kind: 'line-items' }, sink, { userId: 'bench' })
    : await service.writeFocus(scope, { ...filter, format: kind === 'focus-parquet' ? 'parquet' : 'csv' }, sink, { userId: 'bench' });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
await store.close();
// maxRSS: the process's peak resident set (KiB on Linux).
console.log(JSON.stringify({ rows, bytes, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
