import { AccessScope } from '../access-scope';
import { CostLineItemEntity, CostRow } from '../entities/cost-line-item.entity';
import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { aggregateSnapshot, createTestStore, sampleCostRow, TestStore } from '../testing';
import { SPAN_TABLES } from './cost-aggregates';
import { CostGroup } from './cost.repository';
import { DailyTotals1765497600000 } from '../migrations/1765497600000-daily-totals';

/**
 * Property test (issue 15): after random sequences of syncs, re-syncs, month closes, sweeps and
 * estimate replacements, the incrementally maintained aggregates equal a from-scratch rebuild, and
 * every aggregate answer equals the raw line items' answer — exact decimals, both databases.
 */
describe.each(['sqlite', 'postgres'] as const)('pre-aggregates follow the raw rows through random writes on %s', (kind) => {
  let test: TestStore;
  let store: Store;

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 3)));
    for (const [id, currency] of [['acc-a', 'EUR'], ['acc-b', 'USD']] as const) {
      await store.accounts.upsertConnection(
        { id, name: id, cloud: 'global', tenantId: `t-${id}`, appId: `app-${id}`, secret: `s-${id}`, apiBaseUrl: 'http://x', tokenUrl: 'http://x/token', tokenResource: 'r', currency, sandbox: false },
        { userId: null, via: 'test' },
      );
    }
  });

  afterAll(async () => {
    await store?.close();
    await test?.drop();
  });

  const snapshot = () => aggregateSnapshot(store);

  const GROUPS: readonly CostGroup[] = ['service', 'region', 'account', 'customer', 'subscription', 'chargeType', 'invoice', 'resourceGroup', 'meter', 'tag', 'day', 'month'];
  const sorted = <T>(cells: T[]) => [...cells].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));

  async function expectAnswersEqualRaw(pairs: boolean): Promise<void> {
    const customerScope = AccessScope.accounts(['acc-a', 'acc-b'], new Map([['acc-b', new Set(['c-0', 'c-1'])]]));
    const ranges = [
      { from: '2026-05-01', to: '2026-07-31' },
      { from: '2026-05-10', to: '2026-07-20' },
      { from: '2026-06-03', to: '2026-06-17' },
      // No row lies on days 29–31 (the generator's days are 1–28): read as whole months, like month to date.
      { from: '2026-05-01', to: '2026-07-28' },
    ];
    for (const range of ranges) {
      for (const includeEstimated of [false, true]) {
        const filter = { ...range, includeSandbox: false, includeEstimated, tagKey: 'cc' };
        const sets: CostGroup[][] = pairs ? GROUPS.flatMap((a) => GROUPS.filter((b) => b !== a).map((b) => [a, b])) : [[], ...GROUPS.map((g) => [g])];
        for (const scope of [AccessScope.all(), customerScope]) {
          for (const groups of sets) {
            const [agg, raw] = [await store.costs.aggregate(scope, groups, filter), await store.costs.aggregate(scope, groups, { ...filter, readFrom: 'raw' })];
            expect({ groups, range, cells: sorted(agg) }).toEqual({ groups, range, cells: sorted(raw) });
          }
        }
        for (const where of [{ tag: ['alpha'] }, { tag: ['alpha', ''] }, { resourceGroup: ['rg-1'], service: ['Storage'] }, { meter: ['m-2'] }, { customer: ['c-0'], invoice: [''] }]) {
          for (const groups of [['customer'], ['tag'], ['resourceGroup', 'month'], ['day']] as CostGroup[][]) {
            const agg = await store.costs.aggregate(AccessScope.all(), groups, { ...filter, where });
            const raw = await store.costs.aggregate(AccessScope.all(), groups, { ...filter, where, readFrom: 'raw' });
            expect({ where, groups, cells: sorted(agg) }).toEqual({ where, groups, cells: sorted(raw) });
          }
        }
      }
    }
  }

  it('equal a rebuild and the raw answers after 60 random operations', async () => {
    let seed = kind === 'sqlite' ? 17 : 29;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const services = ['Virtual Machines', 'Storage', 'Azure SQL Database'];
    // Now and then an amount of 10^9 or more: its groups take the BigInt path (Group in cost-aggregates.ts) next to number sums.
    const amount = () => (rnd() < 0.1 ? '-' : '') + (rnd() * (rnd() < 0.05 ? 3e9 : 500)).toFixed(Math.floor(rnd() * 14));
    const tagsOf = () => pick(['{}', '{"cc":"alpha"}', '{"cc":"beta","env":"prod"}', '{"env":"dev"}', '{"cc":""}', '{"cc":"alpha","owner":"x"}']);
    const keys = { 'acc-a': [] as string[], 'acc-b': [] as string[] };
    let runNo = 0;

    const make = (account: 'acc-a' | 'acc-b', key: string, month: number, source: string, runId: string, invoiceId: string | null): CostRow =>
      sampleCostRow({
        billingAccountId: account,
        billingCurrency: account === 'acc-a' ? 'EUR' : 'USD',
        xNaturalKey: key,
        xCustomerId: `c-${Math.floor(rnd() * 3)}`,
        subAccountId: `s-${Math.floor(rnd() * 4)}`,
        serviceName: pick(services),
        regionId: pick(['westeurope', 'eastus']),
        xResourceGroup: `rg-${Math.floor(rnd() * 3)}`,
        xMeterId: `m-${Math.floor(rnd() * 4)}`,
        xChargeType: rnd() < 0.1 ? 'cancel' : 'new',
        billedCost: amount(),
        xListCost: rnd() < 0.2 ? null : amount(),
        tags: tagsOf(),
        chargePeriodStart: `2026-0${month}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
        billingPeriodStart: `2026-0${month}-01`,
        xSource: source,
        invoiceId,
        xSyncRunId: runId,
      });

    const ops: Record<string, () => Promise<void>> = {
      /** A page of unbilled rows: some new keys, some existing keys changed in every way. */
      syncPage: async () => {
        const account = pick(['acc-a', 'acc-b'] as const);
        const runId = `run-${++runNo}`;
        const rows = Array.from({ length: 5 + Math.floor(rnd() * 30) }, () => {
          const reuse = keys[account].length > 0 && rnd() < 0.4;
          const key = reuse ? pick(keys[account]) : `k-${keys[account].push(`k-${keys[account].length}`) - 1}`;
          return make(account, key, 5 + Math.floor(rnd() * 3), 'unbilled', runId, null);
        });
        await store.costs.upsert(rows);
      },
      /** The same rows written again (a re-sync that changes nothing). */
      resyncSame: async () => {
        const stored = await store.dataSource.getRepository(CostLineItemEntity).find({ where: { billingAccountId: 'acc-a' }, order: { xNaturalKey: 'ASC' }, take: 20 });
        if (stored.length) await store.costs.upsert(stored.map((r) => ({ ...r })));
      },
      /** A complete read of a period by one run: older unbilled rows swept. */
      sweep: async () => {
        const account = pick(['acc-a', 'acc-b'] as const);
        await store.costs.deleteUnbilledNotWrittenBy(account, `2026-0${5 + Math.floor(rnd() * 3)}-01`, [`run-${runNo}`, `run-${Math.max(1, runNo - 1)}`]);
      },
      /** Month close: the invoice's rows come as pending pages, then replace the period's estimates. */
      monthClose: async () => {
        const account = pick(['acc-a', 'acc-b'] as const);
        const month = 5 + Math.floor(rnd() * 2);
        const invoice = `G-${account}-${month}`;
        const rows = Array.from({ length: 5 + Math.floor(rnd() * 20) }, (_, i) => make(account, `b-${month}-${i}`, month, 'pending', `run-${++runNo}`, invoice));
        await store.costs.upsert(rows);
        await store.costs.replaceUnbilledWithBilled(account, `2026-0${month}-01`, invoice);
      },
      billedWins: async () => {
        await store.costs.deleteUnbilledOfBilledPeriods(pick(['acc-a', 'acc-b'] as const));
      },
      /** Legacy estimates of one subscription's month, replaced whole. */
      estimates: async () => {
        const account = pick(['acc-a', 'acc-b'] as const);
        const month = 5 + Math.floor(rnd() * 3);
        const sub = `s-${Math.floor(rnd() * 2)}`;
        const rows = Array.from({ length: Math.floor(rnd() * 6) }, (_, i) => ({ ...make(account, `e-${sub}-${month}-${i}`, month, 'estimated', 'run-est', null), subAccountId: sub }));
        await store.costs.replaceEstimated(account, sub, `2026-0${month}-01`, rows);
      },
    };
    const weights: [keyof typeof ops, number][] = [['syncPage', 10], ['resyncSame', 2], ['sweep', 3], ['monthClose', 2], ['billedWins', 1], ['estimates', 2]];
    const total = weights.reduce((n, [, w]) => n + w, 0);
    const done: string[] = [];
    // Every kind of write at least once (month closes late enough to find estimates to replace), then weighted random ones.
    const sequence = Array.from({ length: 60 }, (_, i): keyof typeof ops => {
      if (i >= 20 && i < 20 + weights.length) return weights[(i - 20 + Math.floor(seed % weights.length)) % weights.length][0];
      let r = rnd() * total;
      return weights.find(([, w]) => (r -= w) < 0)![0];
    });
    for (const [i, op] of sequence.entries()) {
      await ops[op]();
      done.push(op);
      if (i % 8 === 7) await expectAnswersEqualRaw(false);
    }
    expect(new Set(done).size).toBe(weights.length);
    const incremental = await snapshot();
    expect(incremental.length).toBeGreaterThan(50);
    for (const t of SPAN_TABLES) expect(incremental.filter((r) => r.startsWith(`${t.name}|`)).length).toBeGreaterThan(10);
    await expectAnswersEqualRaw(true);
    await store.rollups.rebuild();
    expect(await snapshot()).toEqual(incremental);
    // The upgrade that added the daily totals fills them from the daily rollup: the same groups.
    const migration = new DailyTotals1765497600000();
    const runner = store.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await snapshot()).toEqual(incremental);
    // The upgrade that added the span tables leaves them empty: the store fills them from the detail when it opens.
    for (const t of SPAN_TABLES) await store.dataSource.query(`DELETE FROM ${t.name}`);
    expect(await store.rollups.rebuildIfMissing()).toBe(true);
    expect(await snapshot()).toEqual(incremental);
  }, 240_000);
});
