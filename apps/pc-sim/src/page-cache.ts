import { createReadStream, createWriteStream, mkdirSync, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import * as path from 'node:path';
import { JSON_TYPE } from './http-util';

interface CachedPage {
  file: string;
  bytes: number;
  /** Malformed-record faults rendered into the page: counted again on every serve. */
  malformed: number;
}

/**
 * Rendered usage pages kept on disk, for benchmarks (`--page-cache DIR`): the first read of a page
 * renders it as always and writes it to a file, later reads of the same page (same account, period,
 * cursor and size, at the same clock) stream that file. Partner Center renders its pages on its own
 * servers; on a 2-core benchmark machine the simulator's rendering would otherwise take the CPU the
 * sync under test needs (bench/ingest warms the cache before it measures). Pages are on disk, not
 * in memory, so 10M line items (~20 GB of JSON) fit.
 */
export class UsagePageCache {
  private readonly pages = new Map<string, CachedPage>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Streams the cached page, if there is one; returns whether it did. */
  serve(key: string, res: ServerResponse, headers: Record<string, string>, onMalformed: (count: number) => void): boolean {
    const page = this.pages.get(key);
    if (!page) return false;
    if (page.malformed) onMalformed(page.malformed);
    res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': String(page.bytes), ...headers });
    createReadStream(page.file).pipe(res);
    return true;
  }

  /** Streams a cached Graph export blob (gzip bytes as they were first served); returns whether it did. */
  serveBlob(key: string, res: ServerResponse, headers: Record<string, string>, onMalformed: (count: number) => void): boolean {
    const blob = this.pages.get(`blob|${key}`);
    if (!blob) return false;
    if (blob.malformed) onMalformed(blob.malformed);
    res.writeHead(200, { ...headers, 'Content-Length': String(blob.bytes) });
    createReadStream(blob.file).pipe(res);
    return true;
  }

  /** Records a blob while it is first served: write its bytes, then commit once it ended whole. */
  recordBlob(key: string): { out: WriteStream; commit(bytes: number, malformed: number): void } {
    const file = path.join(this.dir, `blob-${this.pages.size}-${Date.now()}.json.gz`);
    const out = createWriteStream(`${file}.part`);
    return {
      out,
      commit: (bytes, malformed) =>
        out.end(() => {
          renameSync(`${file}.part`, file);
          this.pages.set(`blob|${key}`, { file, bytes, malformed });
        }),
    };
  }

  put(key: string, body: string, malformed: number): void {
    const file = path.join(this.dir, `page-${this.pages.size}.json`);
    const buf = Buffer.from(body, 'utf8');
    writeFileSync(file, buf);
    this.pages.set(key, { file, bytes: buf.length, malformed });
  }
}
