/**
 * A small read-through cache for dashboard aggregates. Cost data changes only when a sync writes,
 * so identical queries in between (fifty people on the same dashboard) share one database query:
 * concurrent identical requests wait for the same promise, and results live for `ttlMs`.
 * Writes in this process clear it at once (`invalidate`); writes by another process (a worker in
 * the scaled mode) are seen after at most `ttlMs`. Bounded: the oldest entry goes first.
 */
export class QueryCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();
  private invalidations = 0;
  /** Sync runs of this process in progress (SyncRunRepository start … finish). */
  private readonly runs = new Set<string>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 500,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return compute();
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = compute();
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), value });
    // A failed query is not remembered.
    value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key));
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /**
   * Bumped by every invalidation: caches built on top of this one (the api's serialized answers)
   * keep an entry only while the generation it was computed in is current.
   */
  get generation(): number {
    return this.invalidations;
  }

  /**
   * Whether a sync of this process is writing now: its pages change the cost data every few hundred
   * milliseconds, and caches on top of this one may then serve an answer a moment older than the
   * latest page (AnswerCache) instead of recomputing after every page. A run's end is a write.
   */
  get syncing(): boolean {
    return this.runs.size > 0;
  }

  runStarted(id: string): void {
    this.runs.add(id);
  }

  runEnded(id: string): void {
    if (this.runs.delete(id)) this.invalidate();
  }

  invalidate(): void {
    this.invalidations++;
    this.entries.clear();
  }
}
