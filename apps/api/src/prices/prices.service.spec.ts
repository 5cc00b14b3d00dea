import { BadRequestException, NotFoundException } from '@nestjs/common';
import { AccessScope, type PriceRow, type Store } from '@meridian/store';
import { decodeCursor, encodeCursor, PricesService } from './prices.service';

const row = (meterId: string, name: string, rates: Record<string, string>, includedQuantity = '0'): PriceRow => ({
  accountId: 'eu',
  meterId,
  name,
  category: 'Bandwidth',
  subcategory: 'Data Transfer',
  region: 'Azure West Europe',
  unit: '1 GB',
  rates,
  includedQuantity,
  effectiveDate: '2024-01-01T00:00:00Z',
  currency: 'EUR',
  syncedAt: '2026-11-25T00:00:00Z',
  syncRunId: 'run',
});

/** A store fake that applies the scope the way the real one does (only `eu` exists). */
function fakeStore(rows: PriceRow[]) {
  const calls: unknown[] = [];
  const store = {
    accounts: { get: async (scope: AccessScope, id: string) => (scope.allows(id) && id === 'eu' ? { id } : null) },
    prices: {
      search: async (scope: AccessScope, id: string, s: { limit: number; after?: unknown }) => {
        calls.push(s);
        return scope.allows(id) && !scope.customersOf(id) ? rows.slice(0, s.limit) : null;
      },
      get: async (scope: AccessScope, id: string, meterId: string) => (scope.allows(id) ? (rows.find((r) => r.meterId === meterId) ?? null) : null),
    },
  };
  return { store: store as unknown as Store, calls };
}

describe('PricesService', () => {
  const rows = [row('m-1', 'A', { '10240': '0.0696', '0': '0.087' }, '5'), row('m-2', 'B', { '0': '0.05' }), row('m-3', 'C', { '0': '1' })];
  const eu = AccessScope.accounts(['eu']);

  it('lists tiers in ascending order and hands out a cursor while more rows exist', async () => {
    const { store, calls } = fakeStore(rows);
    const page = await new PricesService(store).list(eu, 'eu', { limit: 2 });
    expect(page.items.map((p) => p.meterId)).toEqual(['m-1', 'm-2']);
    expect(page.items[0].tiers).toEqual([{ from: '0', unitPrice: '0.087' }, { from: '10240', unitPrice: '0.0696' }]);
    expect(page.nextCursor).toBe(encodeCursor({ name: 'B', meterId: 'm-2' }));
    expect(calls).toEqual([{ q: undefined, category: undefined, region: undefined, limit: 3, after: undefined }]);
    const last = await new PricesService(store).list(eu, 'eu', { limit: 5, cursor: page.nextCursor! });
    expect(last.nextCursor).toBeNull();
    expect(calls[1]).toMatchObject({ after: { name: 'B', meterId: 'm-2' } });
  });

  it.each([
    ['another account', AccessScope.accounts(['china']), 'eu'],
    ['an account that does not exist', AccessScope.all(), 'nope'],
    ['a customer-scoped grant', AccessScope.accounts(['eu'], new Map([['eu', new Set(['c-1'])]])), 'eu'],
  ])('answers 404 for %s', async (_case, scope, account) => {
    await expect(new PricesService(fakeStore(rows).store).list(scope, account, { limit: 10 })).rejects.toBeInstanceOf(NotFoundException);
  });

  it('refuses a cursor it did not hand out, naming the field', () => {
    expect(() => decodeCursor('bm90LWpzb24')).toThrow(BadRequestException);
    expect(decodeCursor(encodeCursor({ name: 'Zürich "x"', meterId: 'm' }))).toEqual({ name: 'Zürich "x"', meterId: 'm' });
  });

  it('prices a quantity exactly over the included part and the tiers', async () => {
    const est = await new PricesService(fakeStore(rows).store).estimate(eu, { accountId: 'eu', meterId: 'm-1', quantity: '10255.000' });
    expect(est).toMatchObject({ quantity: '10255', included: '5', cost: '891.576', currency: 'EUR' });
    expect(est.tiers.map((t) => [t.from, t.to, t.quantity, t.cost])).toEqual([['0', '10240', '10240', '890.88'], ['10240', null, '10', '0.696']]);
    await expect(new PricesService(fakeStore(rows).store).estimate(AccessScope.accounts(['china']), { accountId: 'eu', meterId: 'm-1', quantity: '1' })).rejects.toBeInstanceOf(NotFoundException);
  });
});
