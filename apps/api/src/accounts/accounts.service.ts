import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type {
  Account,
  AccountConnection,
  AccountList,
  AccountUpdate,
  BackfillRequest,
  Cloud,
  ConnectionTestResult,
  SyncJobsResponse,
  SyncRun,
  SyncStatus,
} from '@meridian/contracts';
import { CLOUD_ENDPOINTS, tokenUrlFor, type PartnerCenterCloud } from '@meridian/partner-center';
import { AccessScope, AccountEntity, Store, StreamState, SyncRunEntity } from '@meridian/store';
import {
  enqueueAccountSync,
  FRESHNESS_STREAM,
  nextRunAt,
  readPathFor,
  SYNC_QUEUE,
  SYNC_STREAMS,
  type SyncQueue,
  type SyncStream,
  testConnection,
  WORKER_CONFIG,
  type WorkerConfig,
} from '@meridian/sync';
import { apiNow } from '../common/clock';

export function toSyncRun(run: SyncRunEntity, now = Date.now()): SyncRun {
  const done = run.unitsDone ?? null;
  const total = run.unitsTotal ?? null;
  const started = run.startedAt ? Date.parse(run.startedAt) : NaN;
  // Pace so far × work left; only while running and once a unit is done.
  const etaSeconds =
    run.status === 'running' && done && total && total >= done && Number.isFinite(started)
      ? Math.round((((now - started) / done) * (total - done)) / 1000)
      : null;
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
    windowFrom: run.windowFrom,
    windowTo: run.windowTo,
    unitsDone: done,
    unitsTotal: total,
    etaSeconds,
    readPath: (run.readPath as SyncRun['readPath']) ?? null,
    phase: run.phase ?? null,
    blobsDone: run.blobsDone ?? null,
    blobsTotal: run.blobsTotal ?? null,
    bytesDone: run.bytesDone ?? null,
  };
}

type Actor = { userId: string | null; via: string };

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
    return { items: runs.map((r) => toSyncRun(r)) };
  }

  async syncNow(scope: AccessScope, accountId: string): Promise<{ jobs: { jobId: string; queued: boolean }[] }> {
    await this.require(scope, accountId);
    const jobs = await enqueueAccountSync(this.queue, accountId, 'manual');
    return { jobs: jobs.map((j) => ({ jobId: j.jobId, queued: j.added })) };
  }

  /** Connects a new account: only for someone who manages every account (the owner). */
  async create(scope: AccessScope, input: AccountConnection, actor: Actor): Promise<Account> {
    if (scope.ids() !== undefined) throw new ForbiddenException('connecting an account needs the owner or an admin of all accounts');
    if (await this.store.accounts.get(AccessScope.all(), input.id)) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `account ${input.id} exists`, issues: [{ field: 'id', message: 'is taken' }] });
    await this.store.accounts.upsertConnection({ ...input, ...this.endpoints(input) }, actor);
    await enqueueAccountSync(this.queue, input.id, 'manual');
    return this.one(scope, input.id);
  }

  async update(scope: AccessScope, accountId: string, patch: AccountUpdate, actor: Actor): Promise<Account> {
    const current = await this.require(scope, accountId);
    const creds = await this.store.accounts.credentials(accountId);
    const cloud = patch.cloud ?? (current.cloud as Cloud);
    const tenantId = patch.tenantId ?? current.tenantId;
    const cloudChanged = patch.cloud !== undefined || patch.tenantId !== undefined;
    await this.store.accounts.upsertConnection(
      {
        id: accountId,
        name: patch.name ?? current.name,
        cloud,
        tenantId,
        appId: patch.appId ?? current.appId,
        secret: patch.secret ?? creds.secret,
        currency: patch.currency ?? current.currency,
        sandbox: patch.sandbox ?? current.sandbox,
        enabled: patch.enabled ?? current.enabled,
        syncIntervalMinutes: patch.syncIntervalMinutes ?? current.syncIntervalMinutes,
        // Endpoints follow a changed cloud or tenant unless given explicitly.
        apiBaseUrl: patch.apiBaseUrl ?? (cloudChanged ? this.endpoints({ cloud, tenantId }).apiBaseUrl : current.apiBaseUrl),
        tokenUrl: patch.tokenUrl ?? (cloudChanged ? this.endpoints({ cloud, tenantId }).tokenUrl : current.tokenUrl),
        tokenResource: patch.tokenResource ?? (cloudChanged ? this.endpoints({ cloud, tenantId }).tokenResource : current.tokenResource),
        graphBaseUrl: patch.graphBaseUrl ?? (cloudChanged ? null : current.graphBaseUrl),
        graphTokenUrl: patch.graphTokenUrl ?? (cloudChanged ? null : current.graphTokenUrl),
        usageApi: patch.usageApi ?? current.usageApi,
      },
      actor,
    );
    return this.one(scope, accountId);
  }

  /** Tests credentials that are not saved yet (owner only: it makes the server call the given URLs). */
  async testUnsaved(scope: AccessScope, input: Omit<AccountConnection, 'id' | 'syncIntervalMinutes' | 'enabled' | 'sandbox'>): Promise<ConnectionTestResult> {
    if (scope.ids() !== undefined) throw new ForbiddenException('testing new credentials needs the owner or an admin of all accounts');
    return testConnection({ ...input, ...this.endpoints(input) });
  }

  async testSaved(scope: AccessScope, accountId: string): Promise<ConnectionTestResult> {
    await this.require(scope, accountId);
    return testConnection(await this.store.accounts.credentials(accountId));
  }

  /** Queues a backfill of closed months (one per account at a time: a second request is not queued). */
  async backfill(scope: AccessScope, accountId: string, range: BackfillRequest): Promise<SyncJobsResponse> {
    await this.require(scope, accountId);
    const thisMonth = apiNow().toISOString().slice(0, 7);
    if (range.to > thisMonth) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'Invalid body: to: must not be after the current month', issues: [{ field: 'to', message: 'must not be after the current month' }] });
    }
    const job = await this.queue.enqueue({ accountId, stream: 'backfill', reason: 'manual', range });
    return { jobs: [{ jobId: job.jobId, queued: job.added }] };
  }

  private async one(scope: AccessScope, accountId: string): Promise<Account> {
    const found = (await this.list(scope)).items.find((a) => a.id === accountId);
    if (!found) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `account ${accountId} not found` });
    return found;
  }

  /** The cloud's documented endpoints, unless overridden (private links, the simulator). */
  private endpoints(input: { cloud: Cloud; tenantId: string; apiBaseUrl?: string; tokenUrl?: string; tokenResource?: string }) {
    const cloud = CLOUD_ENDPOINTS[input.cloud as PartnerCenterCloud];
    return {
      apiBaseUrl: input.apiBaseUrl ?? cloud.apiBaseUrl,
      tokenUrl: input.tokenUrl ?? tokenUrlFor(input.cloud as PartnerCenterCloud, input.tenantId),
      tokenResource: input.tokenResource ?? cloud.resource,
    };
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
      usageApi: a.usageApi as Account['usageApi'],
      usageReadPath: readPathFor({ cloud: a.cloud, dataset: 'usage-unbilled', usageApi: a.usageApi }),
      lastSync: status?.latest ? toSyncRun(status.latest, now.getTime()) : null,
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
