import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Account, AccountList, Cloud, SyncRun, SyncStatus } from '@meridian/contracts';
import { AccessScope, AccountEntity, Store, StreamState, SyncRunEntity } from '@meridian/store';
import {
  enqueueAccountSync,
  FRESHNESS_STREAM,
  nextRunAt,
  SYNC_QUEUE,
  SYNC_STREAMS,
  type SyncQueue,
  type SyncStream,
  WORKER_CONFIG,
  type WorkerConfig,
} from '@meridian/sync';

export function toSyncRun(run: SyncRunEntity): SyncRun {
  return {
    id: run.id,
    accountId: run.accountId,
    stream: run.stream,
    status: run.status as SyncStatus,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    pages: run.pages,
    rows: run.rows,
    quarantined: run.quarantined,
    error: run.error,
  };
}

const NEVER: StreamState = { lastStartedAt: null, lastStatus: null, lastSuccessAt: null, lastError: null };

/** Accounts as users see them: status and freshness, never credentials. */
@Injectable()
export class AccountsService {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    @Inject(WORKER_CONFIG) private readonly workerConfig: WorkerConfig,
  ) {}

  async list(scope: AccessScope): Promise<AccountList> {
    const accounts = await this.store.accounts.list(scope);
    const ids = accounts.map((a) => a.id);
    const status = await this.store.syncRuns.statusByAccount(ids, [FRESHNESS_STREAM]);
    const streams = await this.store.syncRuns.streamStates(ids);
    const now = new Date();
    return { items: accounts.map((a) => this.toAccount(a, status.get(a.id), streams.get(a.id), now)) };
  }

  async syncRuns(scope: AccessScope, accountId: string): Promise<{ items: SyncRun[] }> {
    await this.require(scope, accountId);
    const runs = await this.store.syncRuns.listForAccount(scope, accountId);
    return { items: runs.map(toSyncRun) };
  }

  async syncNow(scope: AccessScope, accountId: string): Promise<{ jobs: { jobId: string; queued: boolean }[] }> {
    await this.require(scope, accountId);
    const jobs = await enqueueAccountSync(this.queue, accountId, 'manual');
    return { jobs: jobs.map((j) => ({ jobId: j.jobId, queued: j.added })) };
  }

  /** Another account's object is a 404, never a 403 that would confirm it exists. */
  private async require(scope: AccessScope, accountId: string): Promise<AccountEntity> {
    const account = await this.store.accounts.get(scope, accountId);
    if (!account) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `account ${accountId} not found` });
    return account;
  }

  private toAccount(
    a: AccountEntity,
    status: { latest: SyncRunEntity | null; lastSuccessAt: string | null } | undefined,
    streams: Map<string, StreamState> | undefined,
    now: Date,
  ): Account {
    const state = (s: SyncStream): StreamState => streams?.get(s) ?? NEVER;
    return {
      id: a.id,
      name: a.name,
      cloud: a.cloud as Cloud,
      tenantId: a.tenantId,
      currency: a.currency,
      sandbox: a.sandbox,
      enabled: a.enabled,
      lastSync: status?.latest ? toSyncRun(status.latest) : null,
      lastSuccessAt: status?.lastSuccessAt ?? null,
      streams: SYNC_STREAMS.map((stream) => {
        const s = state(stream);
        const next = a.enabled ? nextRunAt(stream, state, a.syncIntervalMinutes, this.workerConfig.schedule, now) : null;
        return {
          stream,
          lastStatus: s.lastStatus as SyncStatus | null,
          lastRunAt: s.lastStartedAt,
          lastSuccessAt: s.lastSuccessAt,
          lastError: s.lastError,
          nextRunAt: next ? next.toISOString() : null,
        };
      }),
    };
  }
}
