/** What a Graph billing export read adds to a progress event (all absent on v1 reads). */
export interface ExportCounts {
  /** "waiting for Microsoft to prepare the export (running, 12 s)", "downloading export blob 2 of 3". */
  phase?: string | null;
  blobsDone?: number;
  blobsTotal?: number;
  /** Compressed bytes of export blobs downloaded. */
  bytesDone?: number;
}

const WAITING = /^waiting/;

/** Compressed bytes as MB with one decimal ("3.4 MB"). */
export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * A one-line progress display for terminals: counts, throughput and, when the total is known, a
 * bar and an ETA. On a non-TTY (CI logs) it prints a line every few seconds instead of redrawing.
 * Graph export reads show what the export waits for, then blobs done/total as a bar and MB read.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastPrint = 0;
  private lastLabel = '';
  private lastDone = -1;
  private lastStage = '';

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly width = 24,
  ) {}

  update(label: string, counts: { pages: number; rows: number; quarantined: number }, total?: { done: number; of: number }, exp: ExportCounts = {}): void {
    const now = Date.now();
    const blobs = exp.blobsTotal !== undefined && exp.blobsTotal > 0 ? { done: exp.blobsDone ?? 0, of: exp.blobsTotal } : undefined;
    // Waiting for an export (the first, or the next one of a run after the blobs of the previous).
    const waiting = exp.phase ? WAITING.test(exp.phase) : false;
    // Logs get a line per new stage, per finished unit (invoice) or blob, and otherwise one every few seconds.
    const stage = `${waiting ? 'waiting' : ''}:${blobs ? `${blobs.done}/${blobs.of}` : ''}`;
    const unitDone = total !== undefined && total.done !== this.lastDone;
    if (!this.out.isTTY && label === this.lastLabel && !unitDone && stage === this.lastStage && now - this.lastPrint < 3000) return;
    this.lastPrint = now;
    this.lastLabel = label;
    this.lastStage = stage;
    if (total) this.lastDone = total.done;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(counts.rows / seconds);
    let bar = '';
    if (total && total.of > 0) {
      const ratio = Math.min(total.done / total.of, 1);
      const filled = Math.round(ratio * this.width);
      const eta = ratio > 0 ? Math.round((seconds / ratio) * (1 - ratio)) : NaN;
      bar = `[${'█'.repeat(filled)}${'░'.repeat(this.width - filled)}] ${Math.round(ratio * 100)}% ETA ${Number.isFinite(eta) ? `${eta}s` : '?'} `;
    }
    let exportPart = '';
    if (waiting) exportPart = `${exp.phase} · `;
    else if (blobs) {
      // The units bar (invoices of a backfill) stays the bar; blobs are then told in words.
      const ratio = Math.min(blobs.done / blobs.of, 1);
      const filled = Math.round(ratio * this.width);
      const blobBar = bar ? '' : `▕${'█'.repeat(filled)}${'░'.repeat(this.width - filled)}▏ `;
      exportPart = `${blobBar}blob ${blobs.done}/${blobs.of} · `;
    } else if (exp.phase) exportPart = `${exp.phase} · `;
    if (exp.bytesDone !== undefined && !waiting) exportPart += `${megabytes(exp.bytesDone)} · `;
    const line = `${label} ${bar}${exportPart}pages ${counts.pages} · rows ${counts.rows.toLocaleString('en-US')} · quarantined ${counts.quarantined} · ${rate.toLocaleString('en-US')} rows/s`;
    if (this.out.isTTY) this.out.write(`\r\x1b[2K${line}`);
    else this.out.write(`${line}\n`);
  }

  done(message: string): void {
    this.out.write(this.out.isTTY ? `\r\x1b[2K${message}\n` : `${message}\n`);
  }
}
