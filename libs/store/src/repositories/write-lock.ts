import { DataSource } from 'typeorm';

/**
 * TypeORM's SQLite driver runs every query runner on one connection, so two syncs opening
 * transactions at once fail ("cannot start a transaction within a transaction"). On SQLite, writes
 * that need a transaction take turns; PostgreSQL has a pool and real concurrent transactions.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly settledListeners: (() => void)[] = [];

  private constructor(private readonly serialize: boolean) {}

  static for(ds: DataSource): WriteLock {
    return new WriteLock(ds.options.type !== 'postgres');
  }

  /**
   * Called after every write has settled (committed or failed), before its caller resumes. Reads
   * run on other connections (decision 0016) and may have cached what they saw while the write was
   * committing: a cache cleared here cannot keep that.
   */
  onSettled(listener: () => void): void {
    this.settledListeners.push(listener);
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    const settled = () => {
      for (const listener of this.settledListeners) listener();
    };
    if (!this.serialize) return fn().finally(settled);
    const next = this.tail.then(fn, fn).finally(settled);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
