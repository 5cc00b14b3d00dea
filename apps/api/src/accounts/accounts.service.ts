import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Account, AccountList, Cloud, SyncRun, SyncStatus } from '@meridian/contracts';
import { AccessScope, AccountEntity, Store, SyncRunEntity } from '@meridian/store';
import { SYNC_QUEUE, type SyncQueue } from '@meridian/sync';

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

/** Accounts as users see them: status and freshness, never credentials. */
@Injectable()
export class AccountsService {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
  ) {}

  async list(scope: AccessScope): Promise<AccountList> {
    const accounts = await this.store.accounts.list(scope);
    const status = await this.store.syncRuns.statusByAccount(accounts.map((a) => a.id));
    return { items: accounts.map((a) => this.toAccount(a, status.get(a.id))) };
  }

  async syncRuns(scope: AccessScope, accountId: string): Promise<{ items: SyncRun[] }> {
    await this.require(scope, accountId);
    const runs = await this.store.syncRuns.listForAccount(scope, accountId);
    return { items: runs.map(toSyncRun) };
  }

  async syncNow(scope: AccessScope, accountId: string): Promise<{ jobId: string; queued: boolean }> {
    await this.require(scope, accountId);
    const { jobId, added } = await this.queue.enqueue({ accountId, stream: 'all', reason: 'manual' });
    return { jobId, queued: added };
  }

  /** Another account's object is a 404, never a 403 that would confirm it exists. */
  private async require(scope: AccessScope, accountId: string): Promise<AccountEntity> {
    const account = await this.store.accounts.get(scope, accountId);
    if (!account) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `account ${accountId} not found` });
    return account;
  }

  private toAccount(a: AccountEntity, status?: { latest: SyncRunEntity | null; lastSuccessAt: string | null }): Account {
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
    };
  }
}
