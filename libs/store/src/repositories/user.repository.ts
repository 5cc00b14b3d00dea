import { createHash, randomUUID } from 'node:crypto';
import { DataSource, IsNull, Repository } from 'typeorm';
import { ApiTokenEntity } from '../entities/api-token.entity';
import { GrantEntity } from '../entities/grant.entity';
import { SessionEntity } from '../entities/session.entity';
import { UserEntity } from '../entities/user.entity';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Users, their grants, API tokens and browser sessions. Stores hashes, never tokens. */
export class UserRepository {
  private readonly users: Repository<UserEntity>;
  private readonly grants: Repository<GrantEntity>;
  private readonly tokens: Repository<ApiTokenEntity>;
  private readonly sessions: Repository<SessionEntity>;

  constructor(ds: DataSource) {
    this.users = ds.getRepository(UserEntity);
    this.grants = ds.getRepository(GrantEntity);
    this.tokens = ds.getRepository(ApiTokenEntity);
    this.sessions = ds.getRepository(SessionEntity);
  }

  count(): Promise<number> {
    return this.users.count();
  }

  byId(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  byEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: email.trim().toLowerCase() });
  }

  byOidcIdentity(identity: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ oidcIdentity: identity });
  }

  list(): Promise<UserEntity[]> {
    return this.users.find({ order: { email: 'ASC' } });
  }

  async create(input: { email: string; displayName: string; passwordHash: string | null; isOwner?: boolean; oidcIdentity?: string | null }): Promise<UserEntity> {
    const user: UserEntity = {
      id: randomUUID(),
      email: input.email.trim().toLowerCase(),
      displayName: input.displayName,
      passwordHash: input.passwordHash,
      isOwner: input.isOwner ?? false,
      oidcIdentity: input.oidcIdentity ?? null,
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: new Date().toISOString(),
    };
    await this.users.insert(user);
    return user;
  }

  async update(id: string, patch: Partial<Pick<UserEntity, 'displayName' | 'passwordHash' | 'disabled' | 'failedLogins' | 'lockedUntil' | 'oidcIdentity'>>): Promise<void> {
    await this.users.update({ id }, patch);
  }

  grantsOf(userId: string): Promise<GrantEntity[]> {
    return this.grants.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  allGrants(): Promise<GrantEntity[]> {
    return this.grants.find({ order: { createdAt: 'ASC' } });
  }

  async addGrant(input: { userId: string; accountId: string | null; role: string; customerId?: string | null }): Promise<GrantEntity> {
    const grant: GrantEntity = {
      id: randomUUID(),
      userId: input.userId,
      accountId: input.accountId,
      role: input.role,
      customerId: input.customerId ?? null,
      createdAt: new Date().toISOString(),
    };
    await this.grants.insert(grant);
    return grant;
  }

  async replaceGrants(userId: string, grants: { accountId: string | null; role: string; customerId?: string | null }[]): Promise<void> {
    await this.grants.delete({ userId });
    for (const g of grants) await this.addGrant({ userId, ...g });
  }

  grantById(id: string): Promise<GrantEntity | null> {
    return this.grants.findOneBy({ id });
  }

  async removeGrant(id: string): Promise<void> {
    await this.grants.delete({ id });
  }

  // API tokens

  async createToken(userId: string, name: string, token: string): Promise<ApiTokenEntity> {
    const row: ApiTokenEntity = {
      id: randomUUID(),
      userId,
      name,
      tokenHash: sha256(token),
      prefix: token.slice(0, 12),
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.tokens.insert(row);
    return row;
  }

  tokensOf(userId: string): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  async revokeToken(userId: string, id: string): Promise<boolean> {
    const result = await this.tokens.update({ id, userId, revokedAt: IsNull() }, { revokedAt: new Date().toISOString() });
    return (result.affected ?? 0) > 0;
  }

  /** The live token with this value, and marks it used. */
  async tokenByValue(token: string): Promise<ApiTokenEntity | null> {
    const row = await this.tokens.findOneBy({ tokenHash: sha256(token), revokedAt: IsNull() });
    if (row) await this.tokens.update({ id: row.id }, { lastUsedAt: new Date().toISOString() });
    return row;
  }

  // Sessions

  async createSession(userId: string, sessionId: string, csrfToken: string, ttlMs: number): Promise<void> {
    const now = Date.now();
    await this.sessions.insert({
      idHash: sha256(sessionId),
      userId,
      csrfToken,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + ttlMs).toISOString(),
    });
  }

  async sessionByValue(sessionId: string): Promise<SessionEntity | null> {
    const row = await this.sessions.findOneBy({ idHash: sha256(sessionId) });
    if (!row) return null;
    if (Date.parse(row.expiresAt) <= Date.now()) {
      await this.sessions.delete({ idHash: row.idHash });
      return null;
    }
    return row;
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.sessions.delete({ idHash: sha256(sessionId) });
  }
}
