import { performance } from 'node:perf_hooks';

/** Lets the event loop run what is queued (I/O callbacks, other requests) before going on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * How long synchronous store work (better-sqlite3 statements, aggregate hashing) may hold the event
 * loop before it lets other work run. Issue 15 bounds a block at 50 ms; several slicers (a sync's
 * write, a blob's decode, answers being built) can take their turn in one loop iteration, so each
 * gets a fraction of that.
 */
export const SLICE_BUDGET_MS = 8;

/**
 * Cuts synchronous work into slices by elapsed time rather than by count: what a row costs varies
 * tenfold with the table's size, its indexes and the machine's load, and a count that is short on
 * one store held the loop for 80–140 ms on another (the embedded mode's sync, measured with a CPU
 * profile). Cheap enough to ask per row: one clock read.
 *
 * `await` of an SQLite statement does not yield (better-sqlite3 answers synchronously, the promise
 * is already settled), so a slicer is passed through a whole write and asked between statements too.
 */
export class LoopSlicer {
  private sliceStart = performance.now();

  constructor(readonly budgetMs = SLICE_BUDGET_MS) {}

  /** True once the current slice has used its budget: the caller then awaits `next()`. */
  due(): boolean {
    return performance.now() - this.sliceStart >= this.budgetMs;
  }

  /** Lets the event loop run, then starts a new slice. */
  async next(): Promise<void> {
    await yieldToEventLoop();
    this.sliceStart = performance.now();
  }

  /** Yields if the slice is used up (between statements, where an await is taken anyway). */
  async pause(): Promise<void> {
    if (this.due()) await this.next();
  }
}

/**
 * Rows per statement for a write done in batches (a big DELETE or UPDATE run as many small ones):
 * starts small and follows the measured time per row so one statement stays within `budgetMs`.
 */
export class AdaptiveBatch {
  size: number;

  constructor(
    private readonly budgetMs = SLICE_BUDGET_MS,
    initial = 200,
    private readonly min = 20,
    private readonly max = 20_000,
  ) {
    this.size = initial;
  }

  /** Records that `rows` rows took `ms`; the next batch is sized to fit the budget (at most doubling). */
  record(rows: number, ms: number): void {
    if (rows <= 0) return;
    const fit = ms > 0 ? Math.floor((rows * this.budgetMs) / ms) : this.size * 2;
    this.size = Math.max(this.min, Math.min(this.max, this.size * 2, fit));
  }
}
