import { AccessScope } from '../access-scope';
import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { createTestStore, TestStore } from '../testing';
import type { PriceRow } from './price.repository';

const price = (meterId: string, name: string, over: Partial<PriceRow> = {}): PriceRow => ({
  accountId: 'acc-a',
  meterId,
  name,
  category: 'Storage',
  subcategory: 'Block Blob',
  region: 'Azure West Europe',
  unit: '1 GB/Month',
  rates: { '0': '0.0184', '51200': '0.01748000000000000001' },
  includedQuantity: '0',
  effectiveDate: '2024-01-01T00:00:00Z',
  currency: 'EUR',
  syncedAt: '2026-11-25T00:00:00.000Z',
  syncRunId: 'run-1',
  ...over,
});

describe.each(['sqlite', 'postgres'] as const)('prices on %s', (kind) => {
  let test: TestStore;
  let store: Store;
  const all = AccessScope.all();

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 7)));
  });
  afterAll(async () => {
    await store.close();
    await test.drop();
  });

  it('replaces an account’s card whole and keeps every digit', async () => {
    await store.prices.replaceForAccount('acc-a', [price('m-old', 'Old meter')]);
    await store.prices.replaceForAccount('acc-b', [price('m-b', 'B meter', { accountId: 'acc-b' })]);
    await store.prices.replaceForAccount('acc-a', [
      price('m-1', 'Hot LRS Data Stored'),
      price('m-2', 'D2 v3/D2s v3', { category: 'Virtual Machines', subcategory: 'Dv3/DSv3 Series', rates: { '0': '0.096' }, region: 'Azure US East' }),
      price('m-3', 'Data Transfer Out', { category: 'Bandwidth', rates: { '0': '0.087', '10240': '0.0696' }, includedQuantity: '5' }),
      price('m-4', '100%_off promo', { category: 'Other' }),
    ]);
    expect(await store.prices.count('acc-a')).toBe(4);
    expect(await store.prices.count('acc-b')).toBe(1);
    expect(await store.prices.get(all, 'acc-a', 'm-old')).toBeNull();
    expect(await store.prices.get(all, 'acc-a', 'm-1')).toEqual(price('m-1', 'Hot LRS Data Stored'));
    expect((await store.prices.tieredPrices('acc-a')).get('m-3')).toEqual({ rates: { '0': '0.087', '10240': '0.0696' }, includedQuantity: '5', currency: 'EUR' });
  });

  it('searches name, category and subcategory, filters category and region, pages by name', async () => {
    const ids = async (s: Parameters<Store['prices']['search']>[2]) => (await store.prices.search(all, 'acc-a', s))!.map((p) => p.meterId);
    expect(await ids({ limit: 10 })).toEqual(['m-4', 'm-2', 'm-3', 'm-1']);
    expect(await ids({ q: 'VIRTUAL', limit: 10 })).toEqual(['m-2']);
    expect(await ids({ q: 'dsv3', limit: 10 })).toEqual(['m-2']);
    expect(await ids({ q: '%', limit: 10 })).toEqual(['m-4']);
    expect(await ids({ q: '_', limit: 10 })).toEqual(['m-4']);
    expect(await ids({ category: 'Bandwidth', limit: 10 })).toEqual(['m-3']);
    expect(await ids({ region: 'Azure US East', limit: 10 })).toEqual(['m-2']);
    expect(await ids({ limit: 2 })).toEqual(['m-4', 'm-2']);
    expect(await ids({ limit: 2, after: { name: 'D2 v3/D2s v3', meterId: 'm-2' } })).toEqual(['m-3', 'm-1']);
  });

  it('reads nothing outside the scope, nor for customer-scoped grants (the card is the partner’s price list)', async () => {
    expect(await store.prices.search(AccessScope.accounts(['acc-b']), 'acc-a', { limit: 10 })).toBeNull();
    expect(await store.prices.get(AccessScope.accounts(['acc-b']), 'acc-a', 'm-1')).toBeNull();
    const limited = AccessScope.accounts(['acc-a'], new Map([['acc-a', new Set(['cust-1'])]]));
    expect(await store.prices.search(limited, 'acc-a', { limit: 10 })).toBeNull();
    expect((await store.prices.search(AccessScope.accounts(['acc-a']), 'acc-a', { limit: 10 }))!.length).toBe(4);
  });
});
