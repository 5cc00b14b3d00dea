import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Response } from 'express';

const gzipAsync = promisify(gzip);

/** Array elements serialized per event-loop task by `build` (~1 ms for a breakdown's rows). */
const SLICE_ROWS = 1000;

/** Below this size gzip saves less than it costs. */
const GZIP_MIN_BYTES = 1024;

/**
 * An answer serialized once and sent many times. A year's breakdown by resource group is ~0.5 MB
 * of JSON: stringifying it and copying it into a Buffer for every request was 60 % of the api's
 * CPU under load (profile in docs/performance.md). Shared answers keep the bytes, their ETag and,
 * made on first demand in libuv's thread pool, their gzip form.
 */
export class PreparedJson {
  readonly etag: string;
  private gzipped?: Promise<Buffer>;

  private constructor(readonly body: Buffer) {
    this.etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  }

  static of(value: unknown): PreparedJson {
    return new PreparedJson(Buffer.from(JSON.stringify(value)));
  }

  /**
   * The same bytes as `of`, serialized a slice at a time: a year's meter breakdown (7,000 rows,
   * 0.7 MB) stringified and copied in one go held the event loop for ~20 ms, more on a busy
   * machine. An object's long array properties are written SLICE_ROWS elements per task.
   */
  static async build(value: unknown): Promise<PreparedJson> {
    if (!isPlainObject(value) || !Object.values(value).some((v) => Array.isArray(v) && v.length > SLICE_ROWS)) return PreparedJson.of(value);
    const parts: Buffer[] = [];
    let first = true;
    for (const [key, v] of Object.entries(value)) {
      const long = Array.isArray(v) && v.length > SLICE_ROWS;
      const text = long ? '' : JSON.stringify(v);
      if (text === undefined) continue; // left out, as JSON.stringify leaves out undefined and functions
      parts.push(Buffer.from(`${first ? '{' : ','}${JSON.stringify(key)}:`));
      first = false;
      if (!long) {
        parts.push(Buffer.from(text));
        continue;
      }
      const rows = v as unknown[];
      for (let i = 0; i < rows.length; i += SLICE_ROWS) {
        await yieldToEventLoop();
        const slice = JSON.stringify(rows.slice(i, i + SLICE_ROWS));
        parts.push(Buffer.from(`${i === 0 ? '[' : ','}${slice.slice(1, -1)}${i + SLICE_ROWS >= rows.length ? ']' : ''}`));
      }
    }
    parts.push(Buffer.from(first ? '{}' : '}'));
    return new PreparedJson(Buffer.concat(parts));
  }

  async writeTo(res: Response, statusCode?: number): Promise<void> {
    const req = res.req;
    res.setHeader('ETag', this.etag);
    // Revalidated every time (the data changes with each sync page), but a match costs no body.
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('Vary', 'Accept-Encoding');
    if (ifNoneMatch(req.headers['if-none-match'], this.etag)) {
      res.status(304).end();
      return;
    }
    if (statusCode) res.status(statusCode);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (this.body.length >= GZIP_MIN_BYTES && acceptsGzip(req.headers['accept-encoding'])) {
      this.gzipped ??= gzipAsync(this.body);
      const body = await this.gzipped;
      res.setHeader('Content-Encoding', 'gzip');
      res.end(body);
      return;
    }
    res.end(this.body);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** `gzip` listed without `q=0` (RFC 9110 §12.5.3). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return false;
  return text.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';').map((s) => s.trim());
    if (coding.toLowerCase() !== 'gzip' && coding !== '*') return false;
    const q = params.find((p) => p.toLowerCase().startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}
