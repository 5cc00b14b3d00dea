import type { GraphExportProgress } from '@meridian/partner-center';
import type { SyncProgress } from '@meridian/store';
import { describeExportProgress } from './usage-reads';

/**
 * Turns a Graph export's progress callbacks into the run's progress (phase, blobs, bytes) and
 * persists it at most every `intervalMs`, and at once when the phase changes — polls and blob bytes
 * arrive far more often than anyone needs to see them. Never throws into the export.
 */
export class ExportProgressReporter {
  private lastWrite = 0;
  private lastPhase: string | null | undefined;
  private pending: Promise<void> = Promise.resolve();
  private bytesBefore = 0;

  constructor(
    private readonly progress: SyncProgress,
    private readonly persist: () => Promise<void>,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  report(p: GraphExportProgress | null): void {
    if (p === null) {
      // One run may read several exports (previous and current period): bytes add up across them.
      this.bytesBefore = this.progress.bytesDone ?? 0;
      this.progress.phase = null;
    } else {
      this.progress.phase = describeExportProgress(p);
      if (p.phase === 'downloading') {
        this.progress.blobsDone = p.blobsDone;
        this.progress.blobsTotal = p.blobCount;
        this.progress.bytesDone = this.bytesBefore + p.bytes;
      }
    }
    const phaseKind = p === null ? null : p.phase;
    const t = this.now();
    if (phaseKind === this.lastPhase && t - this.lastWrite < this.intervalMs) return;
    this.lastPhase = phaseKind;
    this.lastWrite = t;
    this.pending = this.pending.then(() => this.persist()).catch(() => undefined);
  }


  /** Waits for progress writes in flight (before the run's final record). */
  async settled(): Promise<void> {
    await this.pending;
  }
}
