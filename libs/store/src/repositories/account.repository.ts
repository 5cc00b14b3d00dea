import { DataSource, In, Repository } from 'typeorm';
import { AccessScope } from '../access-scope';
import { AccountEntity } from '../entities/account.entity';
import { SecretBox } from '../secret-box';
import { AuditRepository } from './audit.repository';

export interface AccountConnectionInput {
  id: string;
  name: string;
  cloud: string;
  tenantId: string;
  appId: string;
  /** Plain text on the way in; sealed before it touches the database. */
  secret: string;
  apiBaseUrl: string;
  tokenUrl: string;
  tokenResource: string;
  /** Graph billing export endpoints (global cloud); null/absent = derived from the cloud. */
  graphBaseUrl?: string | null;
  graphTokenUrl?: string | null;
  /** auto | graph | v1 (default auto). */
  usageApi?: string;
  currency: string;
  sandbox: boolean;
  enabled?: boolean;
  syncIntervalMinutes?: number;
}

/** What the sync needs to call Partner Center for one account; exists only in memory. */
export type AccountCredentials = Pick<
  AccountConnectionInput,
  'cloud' | 'tenantId' | 'appId' | 'secret' | 'apiBaseUrl' | 'tokenUrl' | 'tokenResource' | 'currency'
> & { accountId: string; graphBaseUrl: string | null; graphTokenUrl: string | null; usageApi: string };

export class AccountRepository {
  private readonly repo: Repository<AccountEntity>;

  constructor(
    private readonly ds: DataSource,
    private readonly secrets: SecretBox,
    private readonly audit: AuditRepository,
  ) {
    this.repo = ds.getRepository(AccountEntity);
  }

  async list(scope: AccessScope): Promise<AccountEntity[]> {
    const ids = scope.ids();
    return this.repo.find({ where: ids ? { id: In(ids) } : {}, order: { sandbox: 'ASC', name: 'ASC' } });
  }

  async get(scope: AccessScope, id: string): Promise<AccountEntity | null> {
    if (!scope.allows(id)) return null;
    return this.repo.findOneBy({ id });
  }

  /** Enabled accounts for the scheduler (system scope: the worker serves every account). */
  async listEnabledIds(): Promise<{ id: string; syncIntervalMinutes: number }[]> {
    const rows = await this.repo.find({ where: { enabled: true }, select: { id: true, syncIntervalMinutes: true } });
    return rows.map((r) => ({ id: r.id, syncIntervalMinutes: r.syncIntervalMinutes }));
  }

  /** Connects (or updates) an account; recorded in the audit log with who did it, never the secret. */
  async upsertConnection(input: AccountConnectionInput, actor: { userId: string | null; via: string }): Promise<void> {
    const existing = await this.repo.findOneBy({ id: input.id });
    // upsert, not save: save opens a transaction, which SQLite's single connection cannot nest.
    await this.repo.upsert({
      id: input.id,
      name: input.name,
      cloud: input.cloud,
      tenantId: input.tenantId,
      appId: input.appId,
      secretEnc: this.secrets.seal(input.secret),
      apiBaseUrl: input.apiBaseUrl,
      tokenUrl: input.tokenUrl,
      tokenResource: input.tokenResource,
      graphBaseUrl: input.graphBaseUrl !== undefined ? input.graphBaseUrl : (existing?.graphBaseUrl ?? null),
      graphTokenUrl: input.graphTokenUrl !== undefined ? input.graphTokenUrl : (existing?.graphTokenUrl ?? null),
      usageApi: input.usageApi ?? existing?.usageApi ?? 'auto',
      currency: input.currency.toUpperCase(),
      sandbox: input.sandbox,
      enabled: input.enabled ?? existing?.enabled ?? true,
      syncIntervalMinutes: input.syncIntervalMinutes ?? existing?.syncIntervalMinutes ?? 60,
      createdAt: existing?.createdAt ?? new Date().toISOString(),
    }, ['id']);
    await this.audit.record({
      userId: actor.userId,
      action: existing ? 'account.update' : 'account.connect',
      target: input.id,
      details: { via: actor.via, name: input.name, cloud: input.cloud, tenantId: input.tenantId, appId: input.appId, apiBaseUrl: input.apiBaseUrl, graphBaseUrl: input.graphBaseUrl ?? null, usageApi: input.usageApi ?? 'auto', sandbox: input.sandbox },
    });
  }

  async credentials(accountId: string): Promise<AccountCredentials> {
    const a = await this.repo.findOneBy({ id: accountId });
    if (!a) throw new Error(`unknown account ${accountId}`);
    return {
      accountId: a.id,
      cloud: a.cloud,
      tenantId: a.tenantId,
      appId: a.appId,
      secret: this.secrets.open(a.secretEnc),
      apiBaseUrl: a.apiBaseUrl,
      tokenUrl: a.tokenUrl,
      tokenResource: a.tokenResource,
      graphBaseUrl: a.graphBaseUrl,
      graphTokenUrl: a.graphTokenUrl,
      usageApi: a.usageApi,
      currency: a.currency,
    };
  }

  /**
   * Re-seals every account's secret with a new key, in one transaction: afterwards only `next`
   * opens them. Returns how many were re-sealed.
   */
  async rotateKey(next: SecretBox): Promise<number> {
    return this.ds.transaction(async (em) => {
      const rows = await em.getRepository(AccountEntity).find({ select: { id: true, secretEnc: true } });
      for (const r of rows) {
        await em.getRepository(AccountEntity).update({ id: r.id }, { secretEnc: next.seal(this.secrets.open(r.secretEnc)) });
      }
      return rows.length;
    });
  }
}
