/**
 * One blob read, decoded: the blob's lines from `skip + 1` on as validated items and quarantined
 * records (line-decoder.ts), in order, in chunks of consecutive lines.
 *
 * With a decoder thread (worker_threads), the download, gunzip, line split, exact-decimal JSON
 * parse, field-name mapping and validation run beside the main thread, which then only stores what
 * arrives (the store's SQLite writes are synchronous on the main thread): the main thread's work per
 * line drops from ~25 µs to the ~6 µs of receiving the item. Memory stays flat: the thread sends at
 * most `credits` messages of ~`linesPerMessage` lines ahead of what the consumer took, and it does
 * not read the blob further meanwhile. Without one (no compiled thread entry, as under the
 * TypeScript test runner, or a custom fetch a thread cannot use) the same decoder runs inline.
 *
 * Every failure of the blob read is a BlobReadError as readBlobLines gives it, after the lines
 * decoded before it, so the caller's resume position stays exact.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Redactor } from '../redact';
import { BlobReadError, readBlobLines, type BlobCounters, type BlobReadContext } from './blob-lines';
import { ExportLineDecoder, type DecodedLines, type ExportDataset } from './line-decoder';

/** What the thread is asked to read (its workerData). */
export interface DecoderRequest {
  url: string;
  label: string;
  blobName: string;
  dataset: ExportDataset;
  skip: number;
  timeoutMs: number;
  linesPerMessage: number;
  credits: number;
}

export type DecoderMessage =
  | { type: 'lines'; lines: DecodedLines; bytes: number }
  | { type: 'end'; bytes: number }
  | { type: 'blob-error'; message: string; status: number; storageCode?: string; bytes: number }
  | { type: 'failure'; message: string };

/** How to start the decoder thread: the compiled entry, and Node flags for it (tests add a TS loader). */
export interface DecoderThreadEntry {
  filename: string;
  execArgv?: string[];
}

/** Lines per message from the thread, and messages it may send ahead (~3,000 lines: a few MB). */
const LINES_PER_MESSAGE = 1000;
const CREDITS = 3;
/**
 * The thread's own heap: its garbage is one message's lines at a time. Without limits it would take
 * the worker process's V8 flags (a 32 MB semi-space) for a second heap.
 */
const THREAD_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 };

/** The compiled thread entry beside this file, or null when running from TypeScript sources. */
export function compiledDecoderThread(): DecoderThreadEntry | null {
  const filename = path.join(__dirname, 'blob-decoder.thread.js');
  return __filename.endsWith('.js') && existsSync(filename) ? { filename } : null;
}

export interface BlobDecodeRequest {
  url: string;
  label: string;
  blobName: string;
  dataset: ExportDataset;
  skip: number;
}

export interface BlobDecodeContext extends BlobReadContext {
  /** Decode in this thread; null: inline. */
  decoderThread: DecoderThreadEntry | null;
}

export function decodeBlob(req: BlobDecodeRequest, ctx: BlobDecodeContext, counters: BlobCounters): AsyncGenerator<DecodedLines, void, undefined> {
  return ctx.decoderThread ? decodeInThread(req, ctx, ctx.decoderThread, counters) : decodeInline(req, ctx, counters);
}

async function* decodeInline(req: BlobDecodeRequest, ctx: BlobReadContext, counters: BlobCounters): AsyncGenerator<DecodedLines, void, undefined> {
  const decoder = new ExportLineDecoder(req.dataset, req.blobName, req.skip);
  for await (const lines of readBlobLines(req.url, req.label, ctx, counters)) {
    const decoded = decoder.decode(lines);
    if (decoded) yield decoded;
  }
}

async function* decodeInThread(req: BlobDecodeRequest, ctx: BlobDecodeContext, entry: DecoderThreadEntry, counters: BlobCounters): AsyncGenerator<DecodedLines, void, undefined> {
  const workerData: DecoderRequest = { ...req, timeoutMs: ctx.timeoutMs, linesPerMessage: LINES_PER_MESSAGE, credits: CREDITS };
  const worker = new Worker(entry.filename, { workerData, execArgv: entry.execArgv, resourceLimits: THREAD_RESOURCE_LIMITS, stdout: false, stderr: false });
  const inbox = new Inbox(worker, ctx.redactor);
  const bytesBefore = counters.bytes;
  try {
    for (;;) {
      const m = await inbox.next();
      if (m.type === 'failure') throw new Error(`blob decoder thread: ${ctx.redactor.text(m.message)}`);
      counters.bytes = bytesBefore + m.bytes;
      if (m.type === 'end') return;
      if (m.type === 'blob-error') throw new BlobReadError(ctx.redactor.text(m.message), m.status, m.storageCode);
      // Taken: the thread may send one more.
      worker.postMessage({ credit: 1 });
      yield m.lines;
    }
  } finally {
    // Also when the consumer stops early: the thread's download stops with it.
    await worker.terminate();
  }
}

/** The thread's messages in order; an exit without `end` is a failure. */
class Inbox {
  private readonly queue: DecoderMessage[] = [];
  private waiting?: (m: DecoderMessage) => void;

  constructor(worker: Worker, redactor: Redactor) {
    worker.on('message', (m: DecoderMessage) => this.push(m));
    worker.on('error', (err) => this.push({ type: 'failure', message: redactor.text(err.message) }));
    worker.on('exit', (code) => this.push({ type: 'failure', message: `exited (code ${code}) before the end of the blob` }));
  }

  next(): Promise<DecoderMessage> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  private push(m: DecoderMessage): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting(m);
    } else this.queue.push(m);
  }
}
