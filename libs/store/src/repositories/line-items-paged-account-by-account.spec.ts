import { AccessScope } from '../access-scope';
import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { createTestStore, sampleCostRow, TestStore } from '../testing';
import { PENDING_SOURCE } from './cost.repository';

/** Every page of a read, following the cursor as the api and the exports do: [account, key] in order. */
async function readAll(
  page: (after?: { account: string; key: string }) => Promise<{ accountId: string; key: string }[]>,
  limit: number,
): Promise<string[][]> {
  const out: string[][] = [];
  let after: { account: string; key: string } | undefined;
  for (;;) {
    const rows = await page(after);
    expect(rows.length).toBeLessThanOrEqual(limit);
    out.push(...rows.map((r) => [r.accountId, r.key]));
    if (rows.length < limit) return out;
    after = { account: rows[rows.length - 1].accountId, key: rows[rows.length - 1].key };
  }
}

/**
 * Line items and the FOCUS rows are read one account at a time (cost.repository pageByAccount): the
 * pages must still hold every row of the scope once, in (account, natural key) order, across account
 * boundaries, with the scope's customer limits, sandbox accounts only when asked, and nothing else.
 */
describe.each(['sqlite', 'postgres'] as const)('line items paged account by account on %s', (kind) => {
  let test: TestStore;
  let store: Store;
  const window = { from: '2026-10-01', to: '2026-10-31', includeSandbox: false };
  // acc-c is a sandbox account.
  const counts: Record<string, number> = { 'acc-a': 7, 'acc-b': 5, 'acc-c': 3, 'acc-d': 4 };
  const key = (i: number) => `k${String(i).padStart(3, '0')}`;
  const customerOf = (i: number) => (i % 2 ? 'cust-2' : 'cust-1');
  /** The rows written for these accounts (of one customer of the first, if given), in (account, key) order. */
  const expected = (accounts: string[], customer?: string) =>
    accounts.flatMap((a, n) =>
      Array.from({ length: counts[a] }, (_, i) => i)
        .filter((i) => n > 0 || !customer || customerOf(i) === customer)
        .map((i) => key((i * 11) % counts[a]))
        .sort()
        .map((k) => [a, k]),
    );

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 5)));
    for (const id of Object.keys(counts)) {
      await store.accounts.upsertConnection(
        {
          id,
          name: id,
          cloud: 'global',
          tenantId: `t-${id}`,
          appId: 'a',
          secret: 's',
          apiBaseUrl: 'http://127.0.0.1:9',
          tokenUrl: 'http://127.0.0.1:9/t',
          tokenResource: 'r',
          currency: 'EUR',
          sandbox: id === 'acc-c',
          enabled: false,
        },
        { userId: null, via: 'test' },
      );
    }
    const rows = Object.entries(counts).flatMap(([account, n]) =>
      // Keys written out of order; every other row of a second customer.
      Array.from({ length: n }, (_, i) =>
        sampleCostRow({
          billingAccountId: account,
          xNaturalKey: key((i * 11) % n),
          xCustomerId: customerOf(i),
          chargePeriodStart: '2026-10-05',
          billingPeriodStart: '2026-10-01',
        }),
      ),
    );
    // Outside the window, and a row still pending its invoice: never listed.
    rows.push(
      sampleCostRow({ billingAccountId: 'acc-b', xNaturalKey: 'k900', chargePeriodStart: '2026-09-30', billingPeriodStart: '2026-09-01' }),
    );
    rows.push(
      sampleCostRow({
        billingAccountId: 'acc-d',
        xNaturalKey: 'k901',
        chargePeriodStart: '2026-10-06',
        billingPeriodStart: '2026-10-01',
        xSource: PENDING_SOURCE,
        invoiceId: 'inv-1',
      }),
    );
    await store.costs.upsert(rows);
  });
  afterAll(async () => {
    await store.close();
    await test.drop();
  });

  it.each([1, 3, 4, 16, 100])('lists every row once, in (account, key) order, in pages of %i', async (limit) => {
    const lines = await readAll((after) => store.costs.lineItems(AccessScope.all(), window, { limit, after }), limit);
    expect(lines).toEqual(expected(['acc-a', 'acc-b', 'acc-d']));
    const focus = await readAll(
      async (after) =>
        (await store.costs.focusLineItems(AccessScope.all(), window, { limit, after })).map((r) => ({
          accountId: r.accountId,
          key: r.naturalKey,
        })),
      limit,
    );
    expect(focus).toEqual(lines);
    const withSandbox = await readAll(
      (after) => store.costs.lineItems(AccessScope.all(), { ...window, includeSandbox: true }, { limit, after }),
      limit,
    );
    expect(withSandbox).toEqual(expected(['acc-a', 'acc-b', 'acc-c', 'acc-d']));
  });

  it("holds only the scope's accounts and customers, and continues after a cursor from outside it", async () => {
    const viewer = AccessScope.accounts(['acc-d', 'acc-a', 'acc-c'], new Map([['acc-a', new Set(['cust-2'])]]));
    const lines = await readAll((after) => store.costs.lineItems(viewer, window, { limit: 2, after }), 2);
    const custTwoOfA = expected(['acc-a', 'acc-d'], 'cust-2').filter(([a]) => a === 'acc-a');
    expect(custTwoOfA).toHaveLength(3);
    expect(lines).toEqual(expected(['acc-a', 'acc-d'], 'cust-2'));
    // Customer-scoped rows carry the list cost (the partner's cost withheld), in FOCUS too.
    const focus = await store.costs.focusLineItems(viewer, window, { limit: 100 });
    expect(focus.map((r) => [r.accountId, r.customerView])).toEqual([
      ...custTwoOfA.map(() => ['acc-a', true]),
      ...expected(['acc-d']).map(() => ['acc-d', false]),
    ]);
    // A cursor in an account the caller may not see (acc-b) moves on to the next one it may.
    expect(
      (await store.costs.lineItems(viewer, window, { limit: 100, after: { account: 'acc-b', key: 'k000' } })).map((r) => [
        r.accountId,
        r.key,
      ]),
    ).toEqual(expected(['acc-d']));
    // A dimension filter on accounts narrows further; an empty scope or filter reads nothing.
    expect(
      (await store.costs.lineItems(AccessScope.all(), { ...window, where: { account: ['acc-b'] } }, { limit: 100 })).map(
        (r) => r.accountId,
      ),
    ).toEqual(Array(5).fill('acc-b'));
    expect(await store.costs.lineItems(AccessScope.accounts([]), window, { limit: 100 })).toEqual([]);
    expect(await store.costs.lineItems(AccessScope.all(), { ...window, where: { service: [] } }, { limit: 100 })).toEqual([]);
  });
});
