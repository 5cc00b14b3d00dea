/**
 * One Graph billing export read end to end (partner-center-api.md §5.5): start the export, poll
 * the operation, read the manifest, stream every blob into validated batches.
 *
 * Rows are never lost nor repeated: a batch's checkpoint is the position after its last line; when
 * a blob read fails (expired SAS → 403, truncated gzip, reset connection) the operation is read
 * again for a fresh SAS and, if the data is unchanged (same eTag and blobs), the blob is re-read
 * skipping the lines already taken. If the data changed or the operation is gone, a new export
 * starts from its first blob and its first batch says `restarted: true`.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { z } from 'zod';
import { PartnerCenterError } from '../errors';
import { safeUrl } from '../http';
import type { LogFn } from '../log';
import { validatePage, type InvalidRecord } from '../models/page';
import { backoffDelay, parseRetryAfter, type RetryPolicy } from '../retry';
import { BlobReadError, readBlobLines, type BlobCounters, type BlobReadContext } from './blob-lines';
import { parseExportLine } from './export-line';
import type { FieldNameMapper } from './field-names';
import type { GraphTransport } from './graph-transport';
import { blobLabel, blobUrl, NO_DATA_CODE, parseManifest, parseOperation, sameExportData, type ExportManifest } from './operation';
import type { GraphBatch, GraphExportCheckpoint, GraphExportOptions, GraphExportProgress } from './types';

/** Consecutive failed reads of one blob (without a line of progress) before giving up. */
export const MAX_BLOB_ATTEMPTS = 5;
/** Polls never come faster than this, whatever Retry-After says (unless pollIntervalMs is smaller). */
export const MIN_POLL_INTERVAL_MS = 1_000;
/** …nor slower than this. */
export const MAX_POLL_INTERVAL_MS = 120_000;

export interface ExportSettings {
  graphBaseUrl: string;
  pollIntervalMs: number;
  maxPollMs: number;
  maxExports: number;
  batchSize: number;
}

export interface ExportContext {
  transport: GraphTransport;
  blob: BlobReadContext;
  settings: ExportSettings;
  retry: RetryPolicy;
  log: LogFn;
  now: () => number;
}

/** What to export and how its lines become line items. */
export interface ExportSpec<T> {
  /** For logs: e.g. `usage/billed`. */
  name: string;
  /** Below the Graph base, e.g. `/reports/partners/billing/usage/billed/export`. */
  path: string;
  body: Record<string, string>;
  schema: z.ZodType<T>;
  mapper: FieldNameMapper;
}

interface Located {
  operationUrl: string;
  manifest: ExportManifest;
}

type PollOutcome = Located | 'no-data' | { abandon: string };

/** Blob lines decoded per turn of the event loop (~15 µs each: a few milliseconds). */
const LINES_PER_TURN = 250;

interface Position {
  blobIndex: number;
  lineInBlob: number;
}

export async function* runGraphExport<T>(ctx: ExportContext, spec: ExportSpec<T>, options: GraphExportOptions & { correlationId: string }): AsyncGenerator<GraphBatch<T>, void, undefined> {
  yield* new ExportRun(ctx, spec, options).run();
}

class ExportRun<T> {
  private exportsStarted = 0;
  /** The next batch must say `restarted`: rows of an abandoned export (or a stale checkpoint) are out there. */
  private restartOwed = false;
  /** A batch of the current export was delivered (abandoning it now owes a restart). */
  private deliveredFromCurrent = false;
  private pageNumber = 0;
  private records: unknown[] = [];
  private invalid: InvalidRecord[] = [];
  private lines = 0;
  private readonly counters: BlobCounters = { bytes: 0 };

  constructor(
    private readonly ctx: ExportContext,
    private readonly spec: ExportSpec<T>,
    private readonly options: GraphExportOptions & { correlationId: string },
  ) {}

  async *run(): AsyncGenerator<GraphBatch<T>, void, undefined> {
    let located: Located | null = null;
    let start: Position = { blobIndex: 0, lineInBlob: 0 };
    const checkpoint = this.options.checkpoint;
    if (checkpoint) {
      const manifest = await this.reread(checkpoint.operationUrl);
      if (manifest && manifest.eTag === checkpoint.eTag && checkpoint.blobIndex <= manifest.blobNames.length) {
        located = { operationUrl: checkpoint.operationUrl, manifest };
        start = { blobIndex: checkpoint.blobIndex, lineInBlob: checkpoint.lineInBlob };
        this.deliveredFromCurrent = true;
        this.info('graph export resumed from checkpoint', { operationUrl: checkpoint.operationUrl, blobIndex: start.blobIndex, lineInBlob: start.lineInBlob });
      } else {
        this.restartOwed = true;
        this.warn('graph export checkpoint unusable (operation gone or data changed), starting a new export', { operationUrl: safeUrl(checkpoint.operationUrl) });
      }
    }
    for (;;) {
      if (!located) {
        const outcome = await this.exportUntilReady();
        if (outcome === 'no-data') {
          this.info('graph export has no data (code 5000)', {});
          // The earlier rows are obsolete and nothing replaces them: say so with an empty batch.
          if (this.restartOwed) yield this.batch({ operationUrl: '', eTag: null, blobIndex: 0, lineInBlob: 0 });
          return;
        }
        located = outcome;
        start = { blobIndex: 0, lineInBlob: 0 };
        this.deliveredFromCurrent = false;
      }
      const result = yield* this.download(located, start);
      if (result === 'done') return;
      // The data changed under us: everything not yet delivered is dropped and read again.
      if (this.deliveredFromCurrent) this.restartOwed = true;
      this.records = [];
      this.invalid = [];
      located = null;
    }
  }

  private async *download(located: Located, start: Position): AsyncGenerator<GraphBatch<T>, 'done' | 'restart', undefined> {
    const { operationUrl } = located;
    let manifest = located.manifest;
    const blobCount = manifest.blobNames.length;
    const batchSize = this.ctx.settings.batchSize;
    this.progress({ phase: 'downloading', blobsDone: start.blobIndex, blobCount, lines: this.lines, bytes: this.counters.bytes });
    for (let b = start.blobIndex; b < blobCount; b++) {
      let skip = b === start.blobIndex ? start.lineInBlob : 0;
      let failures = 0;
      for (;;) {
        let read = 0;
        try {
          for await (const lines of readBlobLines(blobUrl(manifest, b), blobLabel(manifest, b), this.ctx.blob, this.counters)) {
            for (const line of lines) {
              read += 1;
              if (read <= skip) continue;
              // Buffered blob data is read through promises that are already settled (microtasks only):
              // without a turn of the event loop now and then, decoding could hold it for a whole batch.
              if (read % LINES_PER_TURN === 0) await yieldToEventLoop();
              this.add(line, manifest, b, read);
              if (this.records.length + this.invalid.length >= batchSize) {
                yield this.batch({ operationUrl, eTag: manifest.eTag, blobIndex: b, lineInBlob: read });
                this.progress({ phase: 'downloading', blobsDone: b, blobCount, lines: this.lines, bytes: this.counters.bytes });
              }
            }
          }
          break;
        } catch (err) {
          if (!(err instanceof BlobReadError)) throw err;
          if (read > skip) failures = 0;
          skip = Math.max(skip, read);
          failures += 1;
          if (failures >= MAX_BLOB_ATTEMPTS) {
            throw exportError(`blob ${b + 1}/${blobCount} could not be read after ${failures} attempts: ${err.message}`, blobLabel(manifest, b), this.options.correlationId);
          }
          this.warn('graph export blob read failed, reading the operation again for a fresh SAS', { blob: blobLabel(manifest, b), status: err.status, storageCode: err.storageCode, reason: err.message, linesRead: skip, attempt: failures });
          await this.ctx.retry.sleep(backoffDelay(failures - 1, this.ctx.retry));
          const fresh = await this.reread(operationUrl);
          if (!fresh || !sameExportData(manifest, fresh)) {
            this.warn('graph export data changed or operation gone, starting a new export', { operationUrl: safeUrl(operationUrl), eTag: manifest.eTag, newETag: fresh?.eTag ?? null });
            return 'restart';
          }
          manifest = fresh;
        }
      }
      this.progress({ phase: 'downloading', blobsDone: b + 1, blobCount, lines: this.lines, bytes: this.counters.bytes });
    }
    if (this.records.length + this.invalid.length > 0 || this.restartOwed) {
      yield this.batch({ operationUrl, eTag: manifest.eTag, blobIndex: blobCount, lineInBlob: 0 });
    }
    this.info('graph export read', { operationUrl: safeUrl(operationUrl), blobs: blobCount, lines: this.lines, bytes: this.counters.bytes });
    return 'done';
  }

  private add(line: string, manifest: ExportManifest, blobIndex: number, lineNumber: number): void {
    this.lines += 1;
    const parsed = parseExportLine(line, this.spec.mapper, `blob ${manifest.blobNames[blobIndex]} line ${lineNumber}`);
    if (parsed.invalid) this.invalid.push(parsed.invalid);
    else this.records.push(parsed.record);
  }

  private batch(checkpoint: GraphExportCheckpoint): GraphBatch<T> {
    this.pageNumber += 1;
    const page = validatePage(this.spec.schema, this.records, this.pageNumber);
    const batch: GraphBatch<T> = {
      items: page.items,
      invalid: this.invalid.length === 0 ? page.invalid : [...this.invalid, ...page.invalid],
      pageNumber: this.pageNumber,
      checkpoint,
      restarted: this.restartOwed,
    };
    this.records = [];
    this.invalid = [];
    this.restartOwed = false;
    this.deliveredFromCurrent = true;
    return batch;
  }

  /** Starts exports until one succeeds (or has no data), within maxExports. */
  private async exportUntilReady(): Promise<Located | 'no-data'> {
    const { settings } = this.ctx;
    let lastReason = '';
    while (this.exportsStarted < settings.maxExports) {
      this.exportsStarted += 1;
      const { operationUrl, retryAfterMs } = await this.startExport();
      const outcome = await this.poll(operationUrl, retryAfterMs);
      if (outcome === 'no-data' || !('abandon' in outcome)) return outcome;
      lastReason = outcome.abandon;
      this.warn('graph export abandoned', { operationUrl: safeUrl(operationUrl), reason: lastReason, exportsStarted: this.exportsStarted, maxExports: settings.maxExports });
    }
    throw exportError(`${this.spec.name} export gave no data after ${this.exportsStarted} export(s): ${lastReason}`, settings.graphBaseUrl + this.spec.path, this.options.correlationId);
  }

  /** The operation URL, and how long Graph asked us to wait before the first poll. */
  private async startExport(): Promise<{ operationUrl: string; retryAfterMs: number | undefined }> {
    const url = this.ctx.settings.graphBaseUrl + this.spec.path;
    const res = await this.ctx.transport.request({ method: 'POST', url, json: this.spec.body, correlationId: this.options.correlationId });
    const location = res.headers.get('location');
    if (!location) {
      throw new PartnerCenterError({ kind: 'invalid-response', status: res.status, description: 'export accepted without a Location header', requestId: res.requestId, correlationId: this.options.correlationId, method: 'POST', url: safeUrl(url), retryable: false });
    }
    const operationUrl = new URL(location, url).toString();
    this.info('graph export started', { operationUrl: safeUrl(operationUrl) });
    return { operationUrl, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.ctx.now) };
  }

  private async poll(operationUrl: string, firstWaitMs: number | undefined): Promise<PollOutcome> {
    const { settings, now, retry } = this.ctx;
    const started = now();
    let slept = 0;
    let polls = 0;
    if (firstWaitMs !== undefined && firstWaitMs > 0) {
      slept = this.pollWait(firstWaitMs, 0);
      await retry.sleep(slept);
    }
    for (;;) {
      const res = await this.ctx.transport.request({ method: 'GET', url: operationUrl, correlationId: this.options.correlationId, allow404: true });
      polls += 1;
      if (res.status === 404) return { abandon: 'operation not found' };
      const state = parseOperation(res.body);
      if ('unreadable' in state) throw unreadable(state.unreadable, operationUrl, res.requestId, this.options.correlationId);
      if (state.status === 'succeeded') {
        const manifest = 'manifest' in state ? state.manifest : await this.fetchManifest(state.manifestLink, operationUrl);
        if (!manifest) return { abandon: 'manifest not found' };
        const exportMs = state.createdAt !== undefined && state.lastActionAt !== undefined ? state.lastActionAt - state.createdAt : undefined;
        this.info('graph export ready', { operationUrl: safeUrl(operationUrl), polls, exportMs, blobs: manifest.blobNames.length, eTag: manifest.eTag });
        return { operationUrl, manifest };
      }
      if (state.status === 'failed') {
        if (state.code === NO_DATA_CODE) return 'no-data';
        return { abandon: `operation failed (code ${state.code ?? 'none'}: ${state.message ?? 'no message'})` };
      }
      // Elapsed on whichever clock moved further: a frozen test clock still ends the wait.
      const elapsedMs = Math.max(now() - started, slept);
      this.progress({ phase: 'exporting', operationStatus: state.status, polls, elapsedMs });
      if (elapsedMs >= settings.maxPollMs) return { abandon: `not finished after ${elapsedMs} ms (${polls} polls)` };
      const wait = this.pollWait(parseRetryAfter(res.headers.get('retry-after'), now) ?? settings.pollIntervalMs, elapsedMs);
      await retry.sleep(wait);
      slept += wait;
    }
  }

  /** Retry-After (or the interval) within [min, max], and not far past maxPollMs. */
  private pollWait(askedMs: number, elapsedMs: number): number {
    const { settings } = this.ctx;
    const floor = Math.min(settings.pollIntervalMs, MIN_POLL_INTERVAL_MS);
    const ceiling = Math.max(settings.pollIntervalMs, MAX_POLL_INTERVAL_MS);
    return Math.min(Math.max(askedMs, floor), ceiling, Math.max(settings.maxPollMs - elapsedMs, floor));
  }

  /** The manifest behind `resourceLocation@odata.navigationLink`, or null when it is gone. */
  private async fetchManifest(link: string, operationUrl: string): Promise<ExportManifest | null> {
    const url = new URL(link, operationUrl).toString();
    const res = await this.ctx.transport.request({ method: 'GET', url, correlationId: this.options.correlationId, allow404: true });
    if (res.status === 404) return null;
    const manifest = parseManifest(res.body);
    if ('unreadable' in manifest) throw unreadable(manifest.unreadable, url, res.requestId, this.options.correlationId);
    return manifest;
  }

  /** The operation's manifest now (fresh SAS), or null when the operation is gone or not succeeded any more. */
  private async reread(operationUrl: string): Promise<ExportManifest | null> {
    const res = await this.ctx.transport.request({ method: 'GET', url: operationUrl, correlationId: this.options.correlationId, allow404: true });
    if (res.status === 404) return null;
    const state = parseOperation(res.body);
    if ('unreadable' in state || state.status !== 'succeeded') return null;
    return 'manifest' in state ? state.manifest : this.fetchManifest(state.manifestLink, operationUrl);
  }

  private progress(p: GraphExportProgress): void {
    const onProgress = this.options.onProgress;
    if (!onProgress) return;
    try {
      onProgress(p);
    } catch {
      // A failing progress callback must not break the read.
    }
  }

  private info(msg: string, fields: Record<string, unknown>): void {
    this.ctx.log({ level: 'info', msg, correlationId: this.options.correlationId, export: this.spec.name, ...fields });
  }

  private warn(msg: string, fields: Record<string, unknown>): void {
    this.ctx.log({ level: 'warn', msg, correlationId: this.options.correlationId, export: this.spec.name, ...fields });
  }
}

function exportError(description: string, url: string, correlationId: string): PartnerCenterError {
  return new PartnerCenterError({ kind: 'export', status: 0, description, requestId: '-', correlationId, method: 'GET', url: safeUrl(url.split('?')[0]!), retryable: false });
}

function unreadable(description: string, url: string, requestId: string, correlationId: string): PartnerCenterError {
  return new PartnerCenterError({ kind: 'invalid-response', status: 200, description, requestId, correlationId, method: 'GET', url: safeUrl(url), retryable: false });
}
