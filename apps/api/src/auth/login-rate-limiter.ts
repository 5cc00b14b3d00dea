/** Sign-in attempts per client address in a sliding window (in memory: per api process). */
export class LoginRateLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly maxAttempts = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an attempt; false when the client is over the limit. */
  attempt(key: string): boolean {
    const t = this.now();
    const recent = (this.attempts.get(key) ?? []).filter((at) => t - at < this.windowMs);
    recent.push(t);
    this.attempts.set(key, recent);
    if (this.attempts.size > 10_000) this.prune(t);
    return recent.length <= this.maxAttempts;
  }

  private prune(t: number): void {
    for (const [key, list] of this.attempts) if (list.every((at) => t - at >= this.windowMs)) this.attempts.delete(key);
  }
}
