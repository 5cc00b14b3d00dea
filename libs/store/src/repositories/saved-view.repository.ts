import { randomUUID } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import { AccessScope } from '../access-scope';
import { SavedViewEntity } from '../entities/saved-view.entity';
import { UserEntity } from '../entities/user.entity';

export interface SavedViewRecord {
  id: string;
  name: string;
  path: string;
  query: string;
  shared: boolean;
  accountIds: string[] | null;
  ownerId: string;
  ownerName: string;
  mine: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SavedViewWrite {
  name: string;
  path: string;
  query: string;
  shared: boolean;
}

/**
 * Saved views. A view is always visible to its author; a shared one to another user only when
 * that user's scope covers every account the view concerns, whole (not just some customers): the
 * view's name and filters may describe the account, so partial access is not enough.
 */
export class SavedViewRepository {
  private readonly repo: Repository<SavedViewEntity>;

  constructor(private readonly ds: DataSource) {
    this.repo = ds.getRepository(SavedViewEntity);
  }

  static covers(scope: AccessScope, accountIds: readonly string[] | null): boolean {
    if (accountIds === null) return scope.ids() === undefined && !scope.hasCustomerLimits();
    return accountIds.every((id) => scope.allows(id) && scope.customersOf(id) === undefined);
  }

  async create(ownerId: string, input: SavedViewWrite, accountIds: string[] | null): Promise<SavedViewRecord> {
    const now = new Date().toISOString();
    const row = this.repo.create({ id: randomUUID(), ownerId, ...input, accountIds: serializeIds(accountIds), createdAt: now, updatedAt: now });
    await this.repo.insert(row);
    return (await this.records([row], ownerId))[0];
  }

  /** The caller's own views and the shared views their scope covers, newest first. */
  async listVisible(userId: string, scope: AccessScope, path?: string): Promise<SavedViewRecord[]> {
    const rows = await this.repo.find({
      where: [{ ownerId: userId, ...(path ? { path } : {}) }, { shared: true, ...(path ? { path } : {}) }],
      order: { updatedAt: 'DESC' },
    });
    const visible = rows.filter((r) => r.ownerId === userId || SavedViewRepository.covers(scope, parseIds(r.accountIds)));
    return this.records(visible, userId);
  }

  /** One view if the caller may see it (else undefined: an invisible view does not exist for them). */
  async getVisible(id: string, userId: string, scope: AccessScope): Promise<SavedViewRecord | undefined> {
    const row = await this.repo.findOneBy({ id });
    if (!row || (row.ownerId !== userId && !(row.shared && SavedViewRepository.covers(scope, parseIds(row.accountIds))))) return undefined;
    return (await this.records([row], userId))[0];
  }

  async update(id: string, patch: Partial<Pick<SavedViewWrite, 'name' | 'query' | 'shared'>>, accountIds: string[] | null | undefined): Promise<void> {
    await this.repo.update(
      { id },
      {
        ...patch,
        ...(accountIds !== undefined ? { accountIds: serializeIds(accountIds) } : {}),
        updatedAt: new Date().toISOString(),
      },
    );
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  private async records(rows: SavedViewEntity[], userId: string): Promise<SavedViewRecord[]> {
    const owners = new Map(
      rows.length === 0 ? [] : (await this.ds.getRepository(UserEntity).findBy({ id: In([...new Set(rows.map((r) => r.ownerId))]) })).map((u) => [u.id, u.displayName]),
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      path: r.path,
      query: r.query,
      shared: r.shared,
      accountIds: parseIds(r.accountIds),
      ownerId: r.ownerId,
      ownerName: owners.get(r.ownerId) ?? r.ownerId,
      mine: r.ownerId === userId,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }));
  }
}

function serializeIds(ids: readonly string[] | null): string | null {
  return ids === null ? null : JSON.stringify([...ids].sort());
}

function parseIds(json: string | null): string[] | null {
  return json === null ? null : (JSON.parse(json) as string[]);
}
