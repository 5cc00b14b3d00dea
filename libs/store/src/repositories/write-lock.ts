import { DataSource } from 'typeorm';

/**
 * TypeORM's SQLite driver runs every query runner on one connection, so two syncs opening
 * transactions at once fail ("cannot start a transaction within a transaction"). On SQLite, writes
 * that need a transaction take turns; PostgreSQL has a pool and real concurrent transactions.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(private readonly serialize: boolean) {}

  static for(ds: DataSource): WriteLock {
    return new WriteLock(ds.options.type !== 'postgres');
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.serialize) return fn();
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
