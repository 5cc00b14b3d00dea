/**
 * Per-account request pacing (one instance per client, so accounts never slow each other): a
 * token bucket of `ratePerSecond` with `burst` capacity, and a shared pause after a 429 so that
 * every request of the account waits out Retry-After, not only the one that was throttled.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new RangeError('RateLimiter: ratePerSecond > 0 and burst >= 1 required');
    this.tokens = burst;
    this.last = now();
  }

  /**
   * Resolves when this request may go; callers are served in order. A retry passes
   * `afterBackoff`: it has already waited out its own Retry-After, so the pause does not hold it.
   */
  acquire(afterBackoff = false): Promise<void> {
    const turn = this.chain.then(() => this.take(afterBackoff));
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  /** After a 429: no new request of this account goes out for `ms`. */
  pauseFor(ms: number): void {
    if (ms > 0) this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /**
   * Computes the wait once and sleeps it (tokens may go into debt, repaid by later refills), so a
   * clock that does not move while sleeping cannot spin the loop.
   */
  private async take(afterBackoff: boolean): Promise<void> {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    let wait = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.ratePerSecond) * 1000;
    if (!afterBackoff && now < this.pausedUntil) wait = Math.max(wait, this.pausedUntil - now);
    this.tokens -= 1;
    if (wait > 0) await this.sleep(Math.ceil(wait));
  }
}
