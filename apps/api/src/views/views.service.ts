import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { SavedView, SavedViewInput } from '@meridian/contracts';
import { AccessScope, Store, type SavedViewRecord } from '@meridian/store';
import type { Principal } from '../auth/permissions';

/** The URL parameters that name accounts on the dashboard's pages. */
const ACCOUNT_PARAMS = ['accounts', 'accountIds'];

/**
 * Saved views under the caller's costs:read scope. What a view concerns is fixed when it is saved:
 * the accounts its query names, else every account its author sees; sharing then reaches exactly
 * the users whose grants cover those accounts (docs/decisions/0012-saved-views.md).
 */
@Injectable()
export class ViewsService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async list(p: Principal, scope: AccessScope, path?: string): Promise<{ items: SavedView[] }> {
    return { items: (await this.store.savedViews.listVisible(p.userId, scope, path)).map(toDto) };
  }

  async get(p: Principal, scope: AccessScope, id: string): Promise<SavedView> {
    return toDto(await this.visible(p, scope, id));
  }

  async create(p: Principal, scope: AccessScope, input: Required<SavedViewInput>): Promise<SavedView> {
    const view = await this.store.savedViews.create(p.userId, input, concernedAccounts(scope, input.query));
    await this.store.audit.record({ userId: p.userId, action: 'saved-view.create', target: view.id, details: { name: view.name, path: view.path, shared: view.shared } });
    return toDto(view);
  }

  async update(p: Principal, scope: AccessScope, id: string, patch: { name?: string; query?: string; shared?: boolean }): Promise<SavedView> {
    await this.own(p, scope, id);
    await this.store.savedViews.update(id, patch, patch.query === undefined ? undefined : concernedAccounts(scope, patch.query));
    return this.get(p, scope, id);
  }

  async remove(p: Principal, scope: AccessScope, id: string): Promise<void> {
    const view = await this.own(p, scope, id);
    await this.store.savedViews.delete(id);
    await this.store.audit.record({ userId: p.userId, action: 'saved-view.delete', target: id, details: { name: view.name } });
  }

  private async visible(p: Principal, scope: AccessScope, id: string): Promise<SavedViewRecord> {
    const view = await this.store.savedViews.getVisible(id, p.userId, scope);
    if (!view) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No saved view ${id}.` });
    return view;
  }

  private async own(p: Principal, scope: AccessScope, id: string): Promise<SavedViewRecord> {
    const view = await this.visible(p, scope, id);
    if (!view.mine) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'Only the author of a view can change or delete it.' });
    return view;
  }
}

/** The accounts a query names (each must be in scope), else the caller's accounts (null = every account). */
export function concernedAccounts(scope: AccessScope, query: string): string[] | null {
  const params = new URLSearchParams(query);
  const named = ACCOUNT_PARAMS.flatMap((k) => params.getAll(k).flatMap((v) => v.split(','))).map((v) => v.trim()).filter(Boolean);
  if (named.length === 0) return scope.ids() ?? null;
  const outside = [...new Set(named)].filter((id) => !scope.allows(id));
  if (outside.length > 0) {
    // Same message for an account that does not exist and one not granted: no existence oracle.
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'Invalid body: query: names accounts you cannot see', issues: [{ field: 'query', message: `names accounts you cannot see: ${outside.join(', ')}` }] });
  }
  return [...new Set(named)];
}

function toDto(v: SavedViewRecord): SavedView {
  return { ...v, path: v.path as SavedView['path'] };
}
