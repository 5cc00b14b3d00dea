/**
 * The Azure Blob Storage the Graph export's manifests point at (partner-center-api.md §5.5):
 *   GET {origin}/blob/{A}/{container}/{folders…}/{blobName}?{sas}
 * Each blob is a gzip of JSON lines, generated on the fly from the usage generator (a cursor walk,
 * never a whole period in memory) and piped through zlib. gzip output is deterministic, so a
 * `Range` request re-compresses from the start and slices; the compressed size is learnt from the
 * first full read (then served as Content-Length) or measured for a Range request.
 *
 * SAS: directory-scoped (`sr=d`), read+list, `se` = 1 h after minting on the simulated clock, signed
 * with the simulator's Signer over (account, directory, se, skoid) — stateless like the tokens.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { SimContext } from './context';
import { corruptLine, reconLine, usageLine } from './graph-lines';
import { directoryOf, isoSeconds, parseBlobName, parseDirectory, reconItems, type ExportData } from './graph-export';
import { guidFrom, strHash32 } from './hash';
import { header } from './http-util';
import type { AccountModel } from './profile';

export const STORAGE_VERSION = '2021-08-06';
export const SAS_TTL_MS = 3_600_000;

/** Entries kept per map below: plenty for tests and demos; a long-running simulator forgets the oldest. */
const SAS_STATE_MAX = 10_000;

/** In-memory SAS bookkeeping: how many SAS each operation got, and the ones the sasExpired fault dooms. */
export class SasState {
  readonly minted = new Map<string, number>();
  /** doomed SAS signature → blob reads served with it so far */
  readonly doomed = new Map<string, number>();
  /** compressed size per blob (key includes what changes the bytes) */
  readonly sizes = new Map<string, number>();

  static put<K, V>(m: Map<K, V>, k: K, v: V): void {
    if (!m.has(k) && m.size >= SAS_STATE_MAX) m.delete(m.keys().next().value as K);
    m.set(k, v);
  }
}

function sasSig(ctx: SimContext, account: string, dir: string, se: string, skoid: string): string {
  return ctx.signer.sign('sas', `${account}\n${dir}\n${se}\n${skoid}\nrl`);
}

/** A fresh SAS for an export's directory (each read of the operation/manifest mints one). */
export function mintSas(ctx: SimContext, acct: AccountModel, d: ExportData, opId: string): string {
  const dir = directoryOf(d);
  const n = ctx.sas.minted.get(opId) ?? 0;
  SasState.put(ctx.sas.minted, opId, n + 1);
  const now = ctx.clock().getTime();
  const skoid = guidFrom(`sas|${opId}|${n}`);
  const se = isoSeconds(now + SAS_TTL_MS);
  const sig = sasSig(ctx, acct.def.id, dir, se, skoid);
  // sasExpired: the first SAS of an operation (drawn) stops working after its first blob read.
  if (ctx.faults.once(acct.def.id, 'sasExpired', opId)) SasState.put(ctx.sas.doomed, sig, 0);
  const p = new URLSearchParams({ skoid, sv: STORAGE_VERSION, st: isoSeconds(now - 300_000), se, sr: 'd', sp: 'rl', sdd: String(dir.split('/').length - 1), sig });
  return p.toString();
}

function storageError(res: ServerResponse, status: number, code: string, message: string, detail?: string): void {
  const requestId = randomUUID();
  const body =
    `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message>` +
    (detail ? `<AuthenticationErrorDetail>${detail}</AuthenticationErrorDetail>` : '') +
    `</Error>`;
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': String(buf.length), 'x-ms-request-id': requestId, 'x-ms-version': STORAGE_VERSION, 'x-ms-error-code': code });
  res.end(buf);
}

const AUTH_MSG = 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.';

/** Lines of blob `index` as ~64 KB chunks; counts malformed lines into `stats`. */
function* blobChunks(ctx: SimContext, d: ExportData, index: number, linesPerBlob: number, stats: { malformed: number }): Generator<Buffer> {
  const acct = d.acct.def.id;
  let buf = '';
  let n = 0;
  if (d.kind === 'ub' || d.kind === 'uu') {
    const layout = ctx.graphLayouts.get(ctx, d, linesPerBlob);
    const start = layout.starts[index];
    if (start) {
      for (const it of ctx.generators.get(acct)!.items(d.from, d.toExcl, start)) {
        if (n++ === linesPerBlob) break;
        const line = usageLine(d.acct, it, d.invoiceId, d.set);
        const variant = ctx.faults.malformed(acct, it.day, it.pos);
        if (variant) stats.malformed++;
        buf += (variant ? corruptLine(line, variant) : line) + '\n';
        if (buf.length >= 65_536) {
          yield Buffer.from(buf, 'utf8');
          buf = '';
        }
      }
    }
  } else {
    for (const item of reconItems(ctx, d).slice(index * linesPerBlob, (index + 1) * linesPerBlob)) buf += reconLine(item) + '\n';
  }
  if (buf) yield Buffer.from(buf, 'utf8');
}

/** gzip stream of a blob (a fresh generation each call). */
function gzipped(ctx: SimContext, d: ExportData, index: number, linesPerBlob: number, stats: { malformed: number }, stopAfterLines?: number): { src: Readable; gz: ReturnType<typeof createGzip> } {
  const gen = blobChunks(ctx, d, index, linesPerBlob, stats);
  const src = Readable.from(stopAfterLines === undefined ? gen : halfOf(gen, stopAfterLines), { objectMode: false });
  const gz = createGzip();
  return { src, gz };
}

function* halfOf(gen: Generator<Buffer>, bytes: number): Generator<Buffer> {
  let n = 0;
  for (const c of gen) {
    if (n + c.length >= bytes) {
      yield c.subarray(0, Math.max(1, bytes - n));
      return;
    }
    n += c.length;
    yield c;
  }
}

async function measure(ctx: SimContext, d: ExportData, index: number, linesPerBlob: number): Promise<number> {
  const { src, gz } = gzipped(ctx, d, index, linesPerBlob, { malformed: 0 });
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    src.on('error', reject);
    gz.on('error', reject);
    src.pipe(gz).pipe(new Writable({ write: (c: Buffer, _e, cb) => ((n += c.length), cb()) })).on('finish', resolve).on('error', reject);
  });
  return n;
}

/** `segs` = path segments after "blob": {A}, container, folders…, blob name. */
export async function handleBlob(ctx: SimContext, req: IncomingMessage, res: ServerResponse, segs: string[], url: URL): Promise<void> {
  const acct = ctx.byId.get(segs[0] ?? '');
  if (!acct || segs.length < 3) return storageError(res, 400, 'InvalidUri', 'The requested URI does not represent any resource on the server.');
  if (req.method !== 'GET' && req.method !== 'HEAD') return storageError(res, 403, 'AuthorizationPermissionMismatch', 'This request is not authorized to perform this operation using this permission.');
  const dir = segs.slice(1, -1).join('/');
  const name = segs[segs.length - 1];
  const q = url.searchParams;
  const se = q.get('se') ?? '';
  const sig = q.get('sig') ?? '';
  if (!sig || !se || q.get('sr') !== 'd' || !(q.get('sp') ?? '').includes('r')) return storageError(res, 403, 'AuthenticationFailed', AUTH_MSG, 'Signature fields not well formed.');
  if (sig !== sasSig(ctx, acct.def.id, dir, se, q.get('skoid') ?? '')) return storageError(res, 403, 'AuthenticationFailed', AUTH_MSG, `Signature did not match. String to sign used was rl\n${se}\n/blob/${acct.def.id}/${dir}`);
  const now = ctx.clock();
  if (now.getTime() > Date.parse(se)) return storageError(res, 403, 'AuthenticationFailed', AUTH_MSG, `Signed expiry time [${new Date(Date.parse(se)).toUTCString()}] must be after signed start time [${now.toUTCString()}]`);
  const served = ctx.sas.doomed.get(sig);
  if (served !== undefined) {
    if (served >= 1) {
      ctx.faults.record(acct.def.id, 'sasExpired');
      return storageError(res, 403, 'AuthenticationFailed', AUTH_MSG, `Signature not valid in the specified time frame: Start [${new Date(Date.parse(q.get('st') ?? se)).toUTCString()}] - Expiry [${now.toUTCString()}] - Current [${now.toUTCString()}]`);
    }
    ctx.sas.doomed.set(sig, served + 1);
  }
  const d = parseDirectory(ctx, acct, segs.slice(1, -1));
  const blob = d ? parseBlobName(dir, name) : null;
  const layout = d && blob ? ctx.graphLayouts.get(ctx, d, blob.linesPerBlob) : null;
  if (!d || !blob || !layout || blob.index >= Math.ceil(layout.lines / blob.linesPerBlob)) return storageError(res, 404, 'BlobNotFound', 'The specified blob does not exist.');

  const fc = ctx.faults.config(acct.def.id);
  const sizeKey = `${acct.def.id}/${dir}/${name}|${d.toExcl}|${fc?.kinds.includes('malformed') ? fc.rate : 0}`;
  let size = ctx.sas.sizes.get(sizeKey);
  const requestId = randomUUID();
  const headers: Record<string, string> = {
    'Content-Type': 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    ETag: `"0x8DC${(strHash32(sizeKey) >>> 0).toString(16).toUpperCase().padStart(8, '0')}${blob.index.toString(16).padStart(5, '0').toUpperCase()}"`,
    'Last-Modified': new Date(d.created || d.toExcl * 86_400_000).toUTCString(),
    'x-ms-request-id': requestId,
    ...(header(req, 'x-ms-client-request-id') ? { 'x-ms-client-request-id': header(req, 'x-ms-client-request-id')! } : {}),
    'x-ms-version': STORAGE_VERSION,
    'x-ms-blob-type': 'BlockBlob',
    'x-ms-server-encrypted': 'true',
  };
  const range = header(req, 'range');
  let slice: [number, number] | null = null;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (m && (m[1] || m[2])) {
      if (size === undefined) SasState.put(ctx.sas.sizes, sizeKey, (size = await measure(ctx, d, blob.index, blob.linesPerBlob)));
      const a = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
      const b = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      if (a >= size || a > b) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'x-ms-request-id': requestId, 'x-ms-version': STORAGE_VERSION, 'x-ms-error-code': 'InvalidRange' });
        return void res.end();
      }
      slice = [a, b];
    }
  }
  if (slice) {
    headers['Content-Range'] = `bytes ${slice[0]}-${slice[1]}/${size}`;
    headers['Content-Length'] = String(slice[1] - slice[0] + 1);
  } else if (size !== undefined) headers['Content-Length'] = String(size);
  // truncatedGzip: the first read of a blob (drawn) stops mid-gzip and the connection is dropped.
  const truncate = req.method !== 'HEAD' && !slice && ctx.faults.once(acct.def.id, 'truncatedGzip', `${dir}/${name}`);
  // Benchmarks (page cache): a blob is rendered once, then served from disk like a real storage account.
  if (req.method !== 'HEAD' && !slice && !truncate && ctx.pageCache?.serveBlob(sizeKey, res, headers, (n) => ctx.faults.record(acct.def.id, 'malformed', n))) return;
  const recording = req.method !== 'HEAD' && !slice && !truncate ? ctx.pageCache?.recordBlob(sizeKey) : undefined;
  res.writeHead(slice ? 206 : 200, headers);
  if (req.method === 'HEAD') return void res.end();

  const stats = { malformed: 0 };
  const { src, gz } = gzipped(ctx, d, blob.index, blob.linesPerBlob, stats, truncate ? 4096 : undefined);
  const fail = (): void => {
    src.destroy();
    gz.destroy();
    res.destroy();
  };
  src.on('error', fail);
  gz.on('error', fail);
  let whole = false;
  res.on('close', () => {
    src.destroy();
    gz.destroy();
    if (!whole) recording?.out.destroy();
  });
  if (truncate) {
    ctx.faults.record(acct.def.id, 'truncatedGzip');
    // Compress the first part, flush it out without the gzip trailer, then drop the connection.
    src.pipe(gz, { end: false });
    gz.pipe(res, { end: false });
    src.on('end', () => gz.flush(() => setImmediate(() => (res.writableNeedDrain ? res.once('drain', () => res.destroy()) : setTimeout(() => res.destroy(), 10)))));
    return;
  }
  let pos = 0;
  let total = 0;
  gz.on('data', (c: Buffer) => {
    total += c.length;
    recording?.out.write(c);
    if (!slice) {
      if (!res.write(c)) gz.pause();
      return;
    }
    const [a, b] = slice;
    const from = Math.max(a - pos, 0);
    const to = Math.min(b + 1 - pos, c.length);
    pos += c.length;
    if (to > from && !res.write(c.subarray(from, to))) gz.pause();
    if (pos > b) {
      src.destroy();
      gz.destroy();
      res.end();
    }
  });
  res.on('drain', () => gz.resume());
  gz.on('end', () => {
    if (!slice) SasState.put(ctx.sas.sizes, sizeKey, total);
    whole = true;
    recording?.commit(total, stats.malformed);
    if (stats.malformed) ctx.faults.record(acct.def.id, 'malformed', stats.malformed);
    res.end();
  });
  src.pipe(gz);
}
