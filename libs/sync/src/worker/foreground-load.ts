import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Requests the process is serving right now. In the embedded mode the api counts them; the sync,
 * which shares the api's event loop, gives way to them (decision 0030). Absent in the worker app:
 * nothing to give way to.
 */
export abstract class ForegroundLoad {
  abstract get busy(): boolean;
}

/** Under load, a page's wait is at most this: the sync never stops, it slows down. */
const MAX_WAIT_MS = 250;

/**
 * After each committed page: while requests are being served, waits as long as the page took (up to
 * MAX_WAIT_MS), so that under continuous load the sync holds about half of the time it held before
 * and the requests get the rest. With no request in flight it goes on at once: an idle dashboard
 * costs a sync nothing.
 */
export class GiveWayToRequests {
  private pageStarted: number;

  constructor(
    private readonly foreground: ForegroundLoad,
    private readonly now: () => number = () => performance.now(),
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
  ) {
    this.pageStarted = now();
  }

  async afterPage(): Promise<void> {
    const took = this.now() - this.pageStarted;
    if (this.foreground.busy) await this.wait(Math.min(MAX_WAIT_MS, Math.max(0, took)));
    this.pageStarted = this.now();
  }
}
