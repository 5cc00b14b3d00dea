import { DataSource } from 'typeorm';

/** Arbitrary constant key of the PostgreSQL advisory lock that serialises evaluations across workers. */
const ADVISORY_LOCK_KEY = 7_341_201_189;

/**
 * One evaluation at a time: in this process a promise chain; across processes on PostgreSQL a
 * session advisory lock held on one pooled connection for the evaluation's duration. (SQLite is
 * embedded, one process.) The store's unique keys keep two evaluations safe even without it: the
 * lock only saves the duplicate work.
 */
export class EvaluationLock {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ds: DataSource,
    private readonly crossProcess = true,
  ) {}

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(
      () => this.withAdvisoryLock(fn),
      () => this.withAdvisoryLock(fn),
    );
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async withAdvisoryLock<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.crossProcess || this.ds.options.type !== 'postgres') return fn();
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
      try {
        return await fn();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }
}
