/**
 * Streams one export blob: `GET` with the SAS (no Authorization header: storage would reject a
 * Graph token), gunzip, split into JSON lines. Nothing is read ahead of the consumer beyond the
 * stream buffers, so memory does not grow with the blob. Every failure, before or during the body,
 * is a BlobReadError: the caller re-reads the operation (fresh SAS) and resumes.
 */
import { Readable, pipeline } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import type { Redactor } from '../redact';
import { jsonLines } from './json-lines';

export interface BlobReadContext {
  fetch: typeof fetch;
  /** For the response headers, and then for each wait on the next chunk (a stalled body). */
  timeoutMs: number;
  redactor: Redactor;
}

export class BlobReadError extends Error {
  override readonly name = 'BlobReadError';
  constructor(
    message: string,
    /** HTTP status, 0 when the body broke off (network, truncated gzip, stall). */
    readonly status: number,
    /** Storage's `x-ms-error-code` (e.g. AuthenticationFailed, AuthorizationFailure). */
    readonly storageCode?: string,
  ) {
    super(message);
  }
}

export interface BlobCounters {
  /** Compressed bytes received. */
  bytes: number;
}

export async function* readBlobLines(url: string, label: string, ctx: BlobReadContext, counters: BlobCounters): AsyncGenerator<string[], void, undefined> {
  const controller = new AbortController();
  const headersTimer = setTimeout(() => controller.abort(), ctx.timeoutMs);
  let res: Response;
  try {
    res = await ctx.fetch(url, { method: 'GET', headers: { Accept: 'application/octet-stream' }, signal: controller.signal });
  } catch (err) {
    throw new BlobReadError(ctx.redactor.text(`${label}: ${controller.signal.aborted ? `no answer within ${ctx.timeoutMs} ms` : describe(err)}`), 0);
  } finally {
    clearTimeout(headersTimer);
  }
  if (res.status < 200 || res.status >= 300 || !res.body) {
    const text = await res.text().catch(() => '');
    const storageCode = res.headers.get('x-ms-error-code') ?? /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    throw new BlobReadError(`${label}: HTTP ${res.status}${storageCode ? ` ${storageCode}` : ''}`, res.status, storageCode);
  }
  const source = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
  source.on('data', (chunk: Buffer) => {
    counters.bytes += chunk.length;
  });
  // pipeline destroys both streams on any error; the error then surfaces in the iteration below.
  const gunzip = pipeline(source, createGunzip(), () => undefined);
  gunzip.setEncoding('utf8');
  try {
    yield* jsonLines(chunksWithIdleTimeout(gunzip, ctx.timeoutMs));
  } catch (err) {
    throw new BlobReadError(ctx.redactor.text(`${label}: body broke off (${err instanceof BlobReadError ? err.message : describe(err)})`), 0);
  } finally {
    // Also when the consumer stops early: release the connection.
    controller.abort();
    source.destroy();
    gunzip.destroy();
  }
}

/** The stream's chunks, failing when one takes longer than `ms` (a stalled connection). */
async function* chunksWithIdleTimeout(stream: Readable, ms: number): AsyncGenerator<string, void, undefined> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<string>;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BlobReadError(`no data for ${ms} ms`, 0)), ms);
    });
    let next: IteratorResult<string>;
    try {
      next = await Promise.race([it.next(), stalled]);
    } finally {
      clearTimeout(timer);
    }
    if (next.done) return;
    yield next.value;
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return 'network error';
  const cause = (err as { cause?: unknown }).cause;
  const code = (err as { code?: unknown }).code ?? (cause as { code?: unknown } | undefined)?.code;
  const causeMessage = cause instanceof Error ? `: ${cause.message}` : '';
  return `${typeof code === 'string' ? `${code} ` : ''}${err.message}${causeMessage}`;
}
