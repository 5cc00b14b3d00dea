import { randomUUID } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import { AccessScope } from '../access-scope';
import { SyncRunEntity } from '../entities/sync-run.entity';
import { QueryCache } from './query-cache';

export interface StreamState {
  lastStartedAt: string | null;
  lastStatus: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
}

export interface SyncProgress {
  pages: number;
  rows: number;
  quarantined: number;
  /** Units done / to do, when the run can count them (e.g. invoices of a backfill). */
  unitsDone?: number;
  unitsTotal?: number;
  /** graph | v1 | both (usage and reconciliation reads). */
  readPath?: string;
  /** Graph export: what the run waits for or does now, blobs done/total, compressed bytes read. */
  phase?: string | null;
  blobsDone?: number;
  blobsTotal?: number;
  bytesDone?: number;
}

export class SyncRunRepository {
  private readonly repo: Repository<SyncRunEntity>;

  constructor(
    private readonly ds: DataSource,
    /** The cost answers' cache: told which runs of this process are writing (QueryCache.syncing). */
    private readonly costCache?: QueryCache,
  ) {
    this.repo = ds.getRepository(SyncRunEntity);
  }

  async start(accountId: string, stream: string, window: { from?: string; to?: string } = {}): Promise<SyncRunEntity> {
    const run: SyncRunEntity = {
      id: randomUUID(),
      accountId,
      stream,
      status: 'running',
      windowFrom: window.from ?? null,
      windowTo: window.to ?? null,
      pages: 0,
      rows: 0,
      quarantined: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
    };
    await this.repo.insert(run);
    this.costCache?.runStarted(run.id);
    return run;
  }

  async progress(id: string, progress: SyncProgress): Promise<void> {
    await this.repo.update({ id }, progress);
  }

  async finish(id: string, outcome: { status: 'succeeded' | 'failed'; error?: string } & SyncProgress): Promise<void> {
    try {
      await this.repo.update(
        { id },
        { ...outcome, error: outcome.error ?? null, finishedAt: new Date().toISOString() },
      );
    } finally {
      this.costCache?.runEnded(id);
    }
  }

  /** Runs left 'running' by a process that died are failed, so status never lies. */
  async failAbandoned(reason: string): Promise<number> {
    const result = await this.repo.update(
      { status: 'running' },
      { status: 'failed', error: reason, finishedAt: new Date().toISOString() },
    );
    return result.affected ?? 0;
  }

  /**
   * Before a stream runs: a run of the same account × stream still 'running' belongs to a worker
   * that died (the queue runs one job per account × stream at a time), so it is failed.
   */
  async failAbandonedFor(accountId: string, stream: string, reason: string): Promise<number> {
    const result = await this.repo.update({ accountId, stream, status: 'running' }, { status: 'failed', error: reason, finishedAt: new Date().toISOString() });
    return result.affected ?? 0;
  }

  async listForAccount(scope: AccessScope, accountId: string, limit = 50): Promise<SyncRunEntity[]> {
    if (!scope.allows(accountId)) return [];
    return this.repo.find({ where: { accountId }, order: { startedAt: 'DESC' }, take: limit });
  }

  /**
   * Per account and stream: the latest run (start, status, error) and the last successful finish,
   * in two grouped queries.
   */
  async streamStates(accountIds: string[]): Promise<Map<string, Map<string, StreamState>>> {
    const out = new Map<string, Map<string, StreamState>>();
    if (accountIds.length === 0) return out;
    const state = (account: string, stream: string): StreamState => {
      let byStream = out.get(account);
      if (!byStream) out.set(account, (byStream = new Map()));
      let s = byStream.get(stream);
      if (!s) byStream.set(stream, (s = { lastStartedAt: null, lastStatus: null, lastSuccessAt: null, lastError: null }));
      return s;
    };
    const latest = await this.repo
      .createQueryBuilder('r')
      .where({ accountId: In(accountIds) })
      .andWhere(
        'r.started_at = (SELECT max(r2.started_at) FROM sync_run r2 WHERE r2.account_id = r.account_id AND r2.stream = r.stream)',
      )
      .getMany();
    for (const run of latest) {
      Object.assign(state(run.accountId, run.stream), { lastStartedAt: run.startedAt, lastStatus: run.status, lastError: run.error });
    }
    const successes: { account_id: string; stream: string; last: string }[] = await this.repo
      .createQueryBuilder('r')
      .select('r.account_id', 'account_id')
      .addSelect('r.stream', 'stream')
      .addSelect('max(r.finished_at)', 'last')
      .where({ accountId: In(accountIds), status: 'succeeded' })
      .groupBy('r.account_id')
      .addGroupBy('r.stream')
      .getRawMany();
    for (const s of successes) state(s.account_id, s.stream).lastSuccessAt = s.last;
    return out;
  }

  /** Latest run and latest successful finish per account, in two queries. */
  async statusByAccount(
    accountIds: string[],
    /** Streams whose success counts as "fresh data" (default: all). */
    freshnessStreams?: string[],
  ): Promise<Map<string, { latest: SyncRunEntity | null; lastSuccessAt: string | null }>> {
    const out = new Map<string, { latest: SyncRunEntity | null; lastSuccessAt: string | null }>();
    for (const id of accountIds) out.set(id, { latest: null, lastSuccessAt: null });
    if (accountIds.length === 0) return out;
    const latest = await this.repo
      .createQueryBuilder('r')
      .where({ accountId: In(accountIds) })
      .andWhere(
        'r.started_at = (SELECT max(r2.started_at) FROM sync_run r2 WHERE r2.account_id = r.account_id)',
      )
      .getMany();
    for (const run of latest) out.get(run.accountId)!.latest = run;
    const successes: { account_id: string; last: string }[] = await this.repo
      .createQueryBuilder('r')
      .select('r.account_id', 'account_id')
      .addSelect('max(r.finished_at)', 'last')
      .where({ accountId: In(accountIds), status: 'succeeded', ...(freshnessStreams ? { stream: In(freshnessStreams) } : {}) })
      .groupBy('r.account_id')
      .getRawMany();
    for (const s of successes) out.get(s.account_id)!.lastSuccessAt = s.last;
    return out;
  }
}
