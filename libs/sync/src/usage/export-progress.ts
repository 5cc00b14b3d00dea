import type { GraphExportProgress } from '@meridian/partner-center';
import type { SyncProgress } from '@meridian/store';

/** One Graph export's progress reports; `end()` when the export is done or abandoned. */
export interface ExportProgressHandle {
  report(progress: GraphExportProgress): void;
  end(): void;
}

interface ExportState {
  latest: GraphExportProgress | null;
}

/**
 * Turns the progress callbacks of a run's Graph exports into the run's progress (phase, blobs,
 * bytes) and persists it at most every `intervalMs`, and at once when the phase changes — polls and
 * blob bytes arrive far more often than anyone needs to see them. Never throws into an export.
 *
 * A run reads several exports, one after another (previous and current period) or at the same time
 * (reconciliation, 4 at once): each export reports through its own handle, blobs and bytes are summed
 * over every export of the run (ended ones included), and the phase is that of the least advanced
 * export still active — "waiting for Microsoft" as long as any export is.
 */
export class ExportProgressReporter {
  private readonly active = new Set<ExportState>();
  /** Blobs and bytes of the exports that ended. */
  private ended = { blobsDone: 0, blobsTotal: 0, bytes: 0 };
  private lastWrite = 0;
  private lastPhase: string | null | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly progress: SyncProgress,
    private readonly persist: () => Promise<void>,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  begin(): ExportProgressHandle {
    const state: ExportState = { latest: null };
    this.active.add(state);
    return {
      report: (p) => {
        if (!this.active.has(state)) return;
        state.latest = p;
        this.update();
      },
      end: () => {
        if (!this.active.delete(state)) return;
        if (state.latest?.phase === 'downloading') {
          this.ended = {
            blobsDone: this.ended.blobsDone + state.latest.blobsDone,
            blobsTotal: this.ended.blobsTotal + state.latest.blobCount,
            bytes: this.ended.bytes + state.latest.bytes,
          };
        }
        this.update();
      },
    };
  }

  /** Waits for progress writes in flight (before the run's final record). */
  async settled(): Promise<void> {
    await this.pending;
  }

  private update(): void {
    const exporting: Array<Extract<GraphExportProgress, { phase: 'exporting' }>> = [];
    const downloading: Array<Extract<GraphExportProgress, { phase: 'downloading' }>> = [];
    for (const { latest } of this.active) {
      if (latest?.phase === 'exporting') exporting.push(latest);
      else if (latest?.phase === 'downloading') downloading.push(latest);
    }
    const blobsDone = this.ended.blobsDone + downloading.reduce((n, p) => n + p.blobsDone, 0);
    const blobsTotal = this.ended.blobsTotal + downloading.reduce((n, p) => n + p.blobCount, 0);
    if (blobsTotal > 0) {
      this.progress.blobsDone = blobsDone;
      this.progress.blobsTotal = blobsTotal;
      this.progress.bytesDone = this.ended.bytes + downloading.reduce((n, p) => n + p.bytes, 0);
    }
    const exportCount = exporting.length + downloading.length;
    const phaseKind = exporting.length > 0 ? 'exporting' : downloading.length > 0 ? 'downloading' : null;
    this.progress.phase = describeRunExports(exporting, downloading, exportCount, blobsDone - this.ended.blobsDone, blobsTotal - this.ended.blobsTotal);

    const t = this.now();
    if (phaseKind === this.lastPhase && t - this.lastWrite < this.intervalMs) return;
    this.lastPhase = phaseKind;
    this.lastWrite = t;
    this.pending = this.pending.then(() => this.persist()).catch(() => undefined);
  }
}

/** The phase text of the run's active exports: the least advanced one decides. */
function describeRunExports(
  exporting: Array<Extract<GraphExportProgress, { phase: 'exporting' }>>,
  downloading: Array<Extract<GraphExportProgress, { phase: 'downloading' }>>,
  exportCount: number,
  activeBlobsDone: number,
  activeBlobsTotal: number,
): string | null {
  if (exporting.length > 0) {
    // The export waited for longest says how long the run has been waiting.
    const longest = exporting.reduce((a, b) => (b.elapsedMs > a.elapsedMs ? b : a));
    const status = exporting.some((p) => p.operationStatus === 'notStarted') ? 'notStarted' : 'running';
    const what = exportCount === 1 ? 'the export' : `${exporting.length} of ${exportCount} exports`;
    return `waiting for Microsoft to prepare ${what} (${status}, ${Math.round(longest.elapsedMs / 1000)} s)`;
  }
  if (downloading.length === 1) {
    const p = downloading[0]!;
    return `downloading export blob ${Math.min(p.blobsDone + 1, p.blobCount)} of ${p.blobCount}`;
  }
  if (downloading.length > 1) return `downloading ${downloading.length} exports (${activeBlobsDone} of ${activeBlobsTotal} blobs done)`;
  return null;
}
