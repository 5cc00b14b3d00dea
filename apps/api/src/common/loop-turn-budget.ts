import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';

/**
 * How much request work one turn of the event loop may start, in milliseconds of wall clock.
 *
 * Under a saturating load one turn of the loop starts a request for every connection whose bytes
 * arrived (50 at the bench's 50 connections) and serves each cached answer to its end inside it:
 * with the scavenges that work sets off, such turns held the loop for 55–67 ms of the main thread's
 * own CPU (docs/performance.md), and every timer waited that long: the embedded sync's slices,
 * BullMQ's lock renewals, the answers' rebuilds. Once a turn has spent its budget, requests wait
 * in arrival order and start in the next turns, one budget each, with timers and I/O between them.
 * Below saturation a turn never reaches the budget and nothing waits (decision 0035).
 *
 * A started request runs to its end: the budget bounds when work starts, not how long it runs.
 */
export class LoopTurnBudget {
  private turnStartedAt = 0;
  private turnOpen = false;
  private drainScheduled = false;
  private readonly waiting: Array<{ start: () => void; abandoned: () => boolean }> = [];

  /** `onDeferred`: once per request that has to wait (the metric `meridian_http_requests_deferred_total`). */
  constructor(
    readonly budgetMs: number,
    private readonly onDeferred: () => void = () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Express middleware: the request starts now, or in a later turn once this one's budget is spent. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    // The check for a client that went away is made only for a request that waits: nothing is
    // allocated on the path of one that starts at once.
    if (this.startsNow()) return next();
    this.wait(next, () => res.closed || req.destroyed);
  };

  /**
   * Runs `start` now if this turn has budget left and nothing is waiting; else queues it behind the
   * waiting ones. A waiting request whose client went away (`abandoned`) is dropped, not started.
   */
  admit(start: () => void, abandoned: () => boolean = () => false): void {
    if (this.startsNow()) return start();
    this.wait(start, abandoned);
  }

  private startsNow(): boolean {
    return this.budgetMs <= 0 || (this.waiting.length === 0 && this.turnHasBudget());
  }

  private wait(start: () => void, abandoned: () => boolean): void {
    this.waiting.push({ start, abandoned });
    this.onDeferred();
    this.scheduleDrain();
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Opens a turn at its first request; the check phase (setImmediate) of the same loop turn closes it. */
  private turnHasBudget(): boolean {
    const now = this.now();
    if (!this.turnOpen) {
      this.turnOpen = true;
      this.turnStartedAt = now;
      setImmediate(this.closeTurn);
    }
    return now - this.turnStartedAt < this.budgetMs;
  }

  private readonly closeTurn = (): void => {
    this.turnOpen = false;
  };

  /**
   * Waiting requests start in the timers phase of a later turn: an immediate would run them in this
   * turn's check phase, before any timer could.
   */
  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setTimeout(this.drain, 0);
  }

  private readonly drain = (): void => {
    this.drainScheduled = false;
    while (this.waiting.length > 0 && this.turnHasBudget()) {
      const request = this.waiting.shift()!;
      if (!request.abandoned()) request.start();
    }
    if (this.waiting.length > 0) this.scheduleDrain();
  };
}
