import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Response } from 'express';

const gzipAsync = promisify(gzip);

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
