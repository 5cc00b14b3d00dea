import type { Store } from '@meridian/store';
import type { SyncQueue } from './queue/sync-queue';

export interface ReadinessCheck {
  ok: boolean;
  error?: string;
  [detail: string]: unknown;
}

export interface Readiness {
  status: 'ready' | 'not ready';
  checks: {
    database: ReadinessCheck;
    migrations: ReadinessCheck;
    /** Present when the queue is BullMQ on Redis. */
    redis?: ReadinessCheck;
    worker: ReadinessCheck;
  };
}

export interface ReadinessOptions {
  /** The queue is BullMQ on Redis (ping it). */
  redis: boolean;
  /** The newest worker heartbeat may be at most this old. */
  maxHeartbeatAgeSeconds: number;
  /** Each check gives up after this long (a stopped Redis makes ioredis wait forever). */
  timeoutMs?: number;
  now?: () => number;
  /** Whose heartbeat counts (default: the newest of any worker of the queue; a worker checks its own). */
  latestHeartbeat?: () => Promise<number | undefined>;
}

function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const failure = (err: unknown): ReadinessCheck => ({ ok: false, error: err instanceof Error ? err.message : String(err) });

/** Every migration this build knows is recorded as applied in the store's migrations table. */
async function migrationsApplied(store: Store): Promise<ReadinessCheck> {
  const ds = store.dataSource;
  const table = ds.options.migrationsTableName ?? 'migrations';
  const rows: { name: string }[] = await ds.query(`SELECT name FROM ${table}`);
  const applied = new Set(rows.map((r) => r.name));
  const pending = ds.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
  return pending.length === 0 ? { ok: true, applied: applied.size } : { ok: false, error: `${pending.length} migration(s) not applied`, pending };
}

/**
 * Whether this installation can serve: the database answers and has every migration, Redis (when
 * used) answers, and a worker (embedded or remote) marked itself alive recently. Each check runs
 * under a deadline and says what failed.
 */
export async function checkReadiness(store: Store, queue: SyncQueue, options: ReadinessOptions): Promise<Readiness> {
  const ms = options.timeoutMs ?? 3000;
  const now = options.now ?? Date.now;
  const database = within(ms, 'database', store.dataSource.query('SELECT 1'))
    .then((): ReadinessCheck => ({ ok: true, type: store.dataSource.options.type }))
    .catch(failure);
  const migrations = database.then((db) => (db.ok ? within(ms, 'database', migrationsApplied(store)).catch(failure) : { ok: false, error: 'database unreachable' }));
  const redis = options.redis
    ? within(ms, 'redis', queue.ping())
        .then((): ReadinessCheck => ({ ok: true }))
        .catch(failure)
    : undefined;
  const worker = within(ms, 'worker heartbeat', options.latestHeartbeat ? options.latestHeartbeat() : queue.latestHeartbeat())
    .then((at): ReadinessCheck => {
      if (at === undefined) return { ok: false, error: 'no worker heartbeat' };
      const ageSeconds = Math.max(0, Math.round((now() - at) / 100) / 10);
      return ageSeconds <= options.maxHeartbeatAgeSeconds
        ? { ok: true, lastHeartbeatAt: new Date(at).toISOString(), ageSeconds }
        : { ok: false, error: `last worker heartbeat ${ageSeconds} s ago (limit ${options.maxHeartbeatAgeSeconds} s)`, lastHeartbeatAt: new Date(at).toISOString(), ageSeconds };
    })
    .catch(failure);
  const checks: Readiness['checks'] = { database: await database, migrations: await migrations, ...(redis ? { redis: await redis } : {}), worker: await worker };
  const ok = Object.values(checks).every((c) => c.ok);
  return { status: ok ? 'ready' : 'not ready', checks };
}
