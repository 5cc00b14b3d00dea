import { AccessScope } from '../access-scope';
import { CostRow } from '../entities/cost-line-item.entity';
import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { createTestStore, sampleCostRow, TestStore } from '../testing';

const row = sampleCostRow;

describe.each(['sqlite', 'postgres'] as const)('CostRepository on %s', (kind) => {
  let test: TestStore;
  let store: Store;

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 7)));
    for (const [id, currency, sandbox] of [
      ['acc-a', 'EUR', false],
      ['acc-b', 'USD', false],
      ['acc-sbx', 'USD', true],
    ] as const) {
      await store.accounts.upsertConnection({
        id, name: id, cloud: 'global', tenantId: `t-${id}`, appId: `app-${id}`, secret: `s-${id}`,
        apiBaseUrl: 'http://x', tokenUrl: 'http://x/token', tokenResource: 'r', currency, sandbox,
      }, { userId: null, via: 'test' });
    }
  });

  /** Writes rows as a sync does: upsert, then refresh the rollup of each touched account × period. */
  async function put(rows: CostRow[]): Promise<void> {
    await store.costs.upsert(rows);
    for (const key of new Set(rows.map((r) => `${r.billingAccountId}|${r.billingPeriodStart}`))) {
      const [account, period] = key.split('|');
      await store.rollups.refreshPeriod(account, period);
    }
  }

  afterAll(async () => {
    await store?.close();
    await test?.drop();
  });

  it('sums 0.1 ten thousand times to exactly 1000, across several insert statements', async () => {
    const rows = Array.from({ length: 10_000 }, () => row({}));
    await put(rows);
    const { totals } = await store.costs.breakdown(AccessScope.all(), [], { from: '2026-10-01', to: '2026-10-31', includeSandbox: false });
    expect(totals).toEqual([{ currency: 'EUR', amount: '1000' }]);
    // A rebuild reports the raw rows it read, and gives the same answer, on both databases.
    const [{ n }] = await store.dataSource.query(`SELECT count(*) AS n FROM cost_line_item WHERE billing_account_id = 'acc-a'`);
    const rolled = await store.rollups.rebuild('acc-a');
    expect(rolled.rows).toBe(Number(n));
    expect((await store.costs.breakdown(AccessScope.all(), [], { from: '2026-10-01', to: '2026-10-31', includeSandbox: false })).totals).toEqual(totals);
  });

  it('bulk upsert stores every row as given, whichever columns are the same across a chunk (several chunk sizes)', async () => {
    const read = async () =>
      (await store.dataSource.query(
        `SELECT x_natural_key AS k, x_customer_id AS c, invoice_id AS i, CAST(billed_cost AS TEXT) AS b, x_source AS s, tags AS t, region_id AS r ` +
          `FROM cost_line_item WHERE billing_period_start = '2030-01-01' ORDER BY x_natural_key`,
      )) as { k: string; c: string; i: string | null; b: string; s: string; t: string; r: string }[];
    const make = (n: number, amount: (i: number) => string) =>
      Array.from({ length: n }, (_, i) =>
        row({
          xNaturalKey: `bulk-${String(i).padStart(5, '0')}`,
          xCustomerId: i % 3 === 0 ? 'cust-x' : 'cust-y',
          invoiceId: i % 7 === 0 ? `inv-${i}` : null,
          billedCost: amount(i),
          tags: i === 5 ? '{"env":"prod"}' : '{}',
          regionId: 'northeurope',
          chargePeriodStart: '2030-01-02',
          billingPeriodStart: '2030-01-01',
        }),
      );
    const expected = (rows: CostRow[]) => rows.map((r) => ({ k: r.xNaturalKey, c: r.xCustomerId, i: r.invoiceId, b: r.billedCost, s: r.xSource, t: r.tags, r: r.regionId }));
    // 1,900 rows: full-size chunks plus a remainder; amounts vary in some chunks and not in others.
    const first = make(1900, (i) => (i < 1000 ? '0.1' : `${i}.25`));
    // A key given twice, in another statement than its first row: the last row wins.
    const again = { ...first[0], billedCost: '99.5', xCustomerId: 'cust-z' };
    await store.costs.upsert([...first, again]);
    expect(await read()).toEqual(expected([again, ...first.slice(1)]));
    // The same keys again with one amount for all (a constant column now), then a single row.
    const second = make(1900, () => '7.5');
    await store.costs.upsert(second);
    expect(await read()).toEqual(expected(second));
    const one = make(1, () => '0.00000001');
    await store.costs.upsert(one);
    expect((await read())[0]).toEqual(expected(one)[0]);
    await store.dataSource.query(`DELETE FROM cost_line_item WHERE billing_period_start = '2030-01-01'`);
    // One bad row in a later statement: nothing of the batch stays.
    const bad = make(1900, () => '1');
    bad[1800] = { ...bad[1800], xCloud: null as unknown as string };
    await expect(store.costs.upsert(bad)).rejects.toThrow();
    expect(await read()).toEqual([]);
    await store.costs.upsert(make(3, () => '2'));
    expect((await read()).map((r) => r.b)).toEqual(['2', '2', '2']);
    await store.dataSource.query(`DELETE FROM cost_line_item WHERE billing_period_start = '2030-01-01'`);
  });

  it('billed rows win: unbilled rows of a period that has billed ones are removed, other periods kept', async () => {
    const base = { billingAccountId: 'acc-b', billingCurrency: 'USD', chargePeriodStart: '2031-02-03' };
    await store.costs.upsert([
      row({ ...base, billingPeriodStart: '2031-02-01', xSource: 'billed', invoiceId: 'G1', billedCost: '5' }),
      row({ ...base, billingPeriodStart: '2031-02-01', xSource: 'unbilled', billedCost: '4' }),
      row({ ...base, billingPeriodStart: '2031-03-01', chargePeriodStart: '2031-03-03', xSource: 'unbilled', billedCost: '3' }),
      row({ ...base, billingAccountId: 'acc-a', billingCurrency: 'EUR', billingPeriodStart: '2031-02-01', xSource: 'unbilled', billedCost: '2' }),
    ]);
    expect(await store.costs.deleteUnbilledOfBilledPeriods('acc-b')).toEqual(['2031-02-01']);
    const left = await store.dataSource.query(`SELECT billing_account_id AS a, billing_period_start AS p, x_source AS s FROM cost_line_item WHERE charge_period_start IN ('2031-02-03', '2031-03-03') ORDER BY 1, 2, 3`);
    expect(left).toEqual([
      { a: 'acc-a', p: '2031-02-01', s: 'unbilled' },
      { a: 'acc-b', p: '2031-02-01', s: 'billed' },
      { a: 'acc-b', p: '2031-03-01', s: 'unbilled' },
    ]);
    expect(await store.costs.deleteUnbilledOfBilledPeriods('acc-b')).toEqual([]);
    await store.dataSource.query(`DELETE FROM cost_line_item WHERE charge_period_start IN ('2031-02-03', '2031-03-03')`);
  });

  it('month close counts the invoice\'s billed rows in the store, whichever runs wrote them (a resumed Graph export)', async () => {
    const base = { billingAccountId: 'acc-b', billingCurrency: 'USD', billingPeriodStart: '2032-05-01', chargePeriodStart: '2032-05-02', invoiceId: 'G-RESUMED' };
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5'].map((k) => `resumed-${k}`);
    // The killed run stored the first three lines; the run that resumed its export re-read the third
    // (the batch after the checkpoint) and stored the rest; one unbilled estimate of the period waits.
    await store.costs.upsert(keys.slice(0, 3).map((k) => row({ ...base, xNaturalKey: k, xSource: 'pending', xSyncRunId: 'run-killed' })));
    await store.costs.upsert(keys.slice(2).map((k) => row({ ...base, xNaturalKey: k, xSource: 'pending', xSyncRunId: 'run-resumed' })));
    await store.costs.upsert([row({ ...base, invoiceId: null, xNaturalKey: 'resumed-estimate', xSource: 'unbilled' })]);
    expect(await store.costs.replaceUnbilledWithBilled('acc-b', '2032-05-01', 'G-RESUMED')).toBe(5);
    const left = await store.dataSource.query(`SELECT x_source AS s, count(*) AS n FROM cost_line_item WHERE billing_period_start = '2032-05-01' GROUP BY x_source`);
    expect(left.map((r: { s: string; n: number | string }) => ({ s: r.s, n: Number(r.n) }))).toEqual([{ s: 'billed', n: 5 }]);
    await store.dataSource.query(`DELETE FROM cost_line_item WHERE billing_period_start = '2032-05-01'`);
  });

  it('upserts by natural key: the same rows twice change nothing, a changed amount replaces', async () => {
    const fixed = [row({ xNaturalKey: 'k1', billedCost: '2.5', serviceName: 'Storage' }), row({ xNaturalKey: 'k2', billedCost: '0.00000001', serviceName: 'Storage' })];
    await put(fixed);
    await put(fixed);
    await put([row({ xNaturalKey: 'k1', billedCost: '3.5', serviceName: 'Storage' })]);
    const { rows } = await store.costs.breakdown(AccessScope.all(), ['service'], { from: '2026-10-01', to: '2026-10-31', includeSandbox: false });
    expect(rows.find((r) => r.keys.service === 'Storage')).toMatchObject({ currency: 'EUR', amount: '3.50000001', count: 2 });
  });

  it('keeps currencies apart, respects scope and leaves sandbox out unless asked', async () => {
    await put([
      row({ billingAccountId: 'acc-b', billingCurrency: 'USD', billedCost: '7.25', regionId: 'eastus', chargePeriodStart: '2026-11-02', billingPeriodStart: '2026-11-01' }),
      row({ billingAccountId: 'acc-sbx', billingCurrency: 'USD', billedCost: '199.99', regionId: 'eastus', chargePeriodStart: '2026-11-02', billingPeriodStart: '2026-11-01' }),
    ]);
    const range = { from: '2026-11-01', to: '2026-11-30' };
    const prod = await store.costs.breakdown(AccessScope.all(), ['region'], { ...range, includeSandbox: false });
    expect(prod.totals).toEqual([{ currency: 'USD', amount: '7.25' }]);
    const withSandbox = await store.costs.breakdown(AccessScope.all(), ['region'], { ...range, includeSandbox: true });
    expect(withSandbox.totals).toEqual([{ currency: 'USD', amount: '207.24' }]);
    const onlyA = await store.costs.breakdown(AccessScope.accounts(['acc-a']), ['region'], { ...range, includeSandbox: true });
    expect(onlyA.rows).toEqual([]);
    const none = await store.costs.breakdown(AccessScope.accounts([]), [], { ...range, includeSandbox: true });
    expect(none.totals).toEqual([]);
  });

  it('shows a customer-scoped view the list price, never the partner cost', async () => {
    await put([
      row({ billingAccountId: 'acc-b', billingCurrency: 'USD', xCustomerId: 'c-7', billedCost: '8.5', xListCost: '10', chargePeriodStart: '2026-08-03', billingPeriodStart: '2026-08-01' }),
      row({ billingAccountId: 'acc-b', billingCurrency: 'USD', xCustomerId: 'c-8', billedCost: '1', xListCost: '1.2', chargePeriodStart: '2026-08-03', billingPeriodStart: '2026-08-01' }),
    ]);
    const range = { from: '2026-08-01', to: '2026-08-31', includeSandbox: false };
    const partner = await store.costs.breakdown(AccessScope.accounts(['acc-b']), [], range);
    expect(partner.totals).toEqual([{ currency: 'USD', amount: '9.5' }]);
    const customer = await store.costs.breakdown(AccessScope.accounts(['acc-b'], new Map([['acc-b', new Set(['c-7'])]])), [], range);
    expect(customer.totals).toEqual([{ currency: 'USD', amount: '10' }]);
  });

  it('sweeps unbilled rows of a period that a later complete run no longer saw', async () => {
    await put([
      row({ billingAccountId: 'acc-b', billingCurrency: 'USD', xNaturalKey: 'old', xSyncRunId: 'run-old', billedCost: '5', chargePeriodStart: '2026-09-03', billingPeriodStart: '2026-09-01' }),
      row({ billingAccountId: 'acc-b', billingCurrency: 'USD', xNaturalKey: 'new', xSyncRunId: 'run-new', billedCost: '6', chargePeriodStart: '2026-09-03', billingPeriodStart: '2026-09-01' }),
    ]);
    await store.costs.deleteUnbilledNotWrittenBy('acc-b', '2026-09-01', 'run-new');
    await store.rollups.refreshPeriod('acc-b', '2026-09-01');
    const { totals } = await store.costs.breakdown(AccessScope.all(), [], { from: '2026-09-01', to: '2026-09-30', includeSandbox: false });
    expect(totals).toEqual([{ currency: 'USD', amount: '6' }]);
  });

  it('upserts a page in several commits with the same rows and aggregates as one, the last row of a key winning', async () => {
    const period = { billingAccountId: 'acc-a', billingCurrency: 'EUR', chargePeriodStart: '2026-02-11', billingPeriodStart: '2026-02-01' };
    const rows = Array.from({ length: 1300 }, (_, i) => row({ ...period, xNaturalKey: `p-${i % 1000}`, xResourceGroup: `rg-${i % 7}`, billedCost: `${i}.5` }));
    // As if COMMITs had been slow: 300 rows per transaction on SQLite (PostgreSQL writes one).
    (store.costs as unknown as { commitRows: { size: number } }).commitRows.size = 300;
    await store.costs.upsertInCommits(rows);
    const month = { from: '2026-02-01', to: '2026-02-28', includeSandbox: false };
    // Keys 0–299 were given twice: the second row (i + 1000) stays.
    const expected = rows.slice(300).reduce((sum, r) => sum + Number(r.billedCost), 0);
    expect((await store.costs.breakdown(AccessScope.all(), [], month)).totals).toEqual([{ currency: 'EUR', amount: String(expected) }]);
    for (const groups of [['resourceGroup'], ['service', 'region'], ['day']] as const) {
      expect(await store.costs.aggregate(AccessScope.all(), [...groups], month)).toEqual(await store.costs.aggregate(AccessScope.all(), [...groups], { ...month, readFrom: 'raw' }));
    }
  });

  it('removes the few rows a run did not rewrite among thousands, window by window of the key range, aggregates included', async () => {
    // 2,400 rows the run rewrote around 9 it did not: the removal reads the account's keys in windows
    // (several on SQLite, whose first window is 500 keys), whatever few of them match.
    const period = { billingAccountId: 'acc-b', billingCurrency: 'USD', chargePeriodStart: '2026-03-05', billingPeriodStart: '2026-03-01' };
    const kept = Array.from({ length: 2400 }, (_, i) => row({ ...period, xNaturalKey: `k-${String(i).padStart(5, '0')}`, xSyncRunId: 'run-now', billedCost: '1.25' }));
    const stale = Array.from({ length: 9 }, (_, i) => row({ ...period, xNaturalKey: `k-${String(i * 271).padStart(5, '0')}x`, xSyncRunId: 'run-before', billedCost: '0.1' }));
    await store.costs.upsert([...kept, ...stale]);
    const month = { from: '2026-03-01', to: '2026-03-31', includeSandbox: false };
    expect((await store.costs.breakdown(AccessScope.all(), [], month)).totals).toEqual([{ currency: 'USD', amount: '3000.9' }]);
    expect(await store.costs.deleteUnbilledNotWrittenBy('acc-b', '2026-03-01', 'run-now')).toBe(9);
    for (const groups of [[], ['service'], ['resourceGroup'], ['meter']] as const) {
      const cells = await store.costs.aggregate(AccessScope.all(), [...groups], month);
      expect(cells).toEqual(await store.costs.aggregate(AccessScope.all(), [...groups], { ...month, readFrom: 'raw' }));
      expect(cells.map((c) => c.amount)).toEqual(['3000']);
    }
  });

  it('answers from the rollup exactly what the raw line items say, for every group and filter', async () => {
    const services = ['Virtual Machines', 'Storage', 'Azure SQL Database'];
    const rows = Array.from({ length: 600 }, (_, i) =>
      row({
        billingAccountId: i % 3 === 0 ? 'acc-b' : 'acc-a',
        billingCurrency: i % 3 === 0 ? 'USD' : 'EUR',
        xCloud: i % 3 === 0 ? 'usgov' : 'global',
        xCustomerId: `c-${i % 4}`,
        subAccountId: `s-${i % 6}`,
        serviceName: services[i % 3 === 0 ? 0 : i % services.length],
        regionId: ['westeurope', 'northeurope', 'eastus'][i % 3],
        xChargeType: i % 17 === 0 ? 'cancel' : 'new',
        billedCost: i % 17 === 0 ? `-${(i / 7).toFixed(9)}` : `${(i * 1.37).toFixed(i % 11)}`,
        xListCost: i % 5 === 0 ? null : `${(i * 1.61).toFixed(12)}`,
        chargePeriodStart: `2026-0${5 + (i % 2)}-${String(1 + (i % 28)).padStart(2, '0')}`,
        billingPeriodStart: `2026-0${5 + (i % 2)}-01`,
        invoiceId: i % 2 === 0 ? null : `G00000${i % 3}`,
        xSource: i % 2 === 0 ? 'unbilled' : 'billed',
        tags: i % 4 === 0 ? '{"env":"prod"}' : '{}',
      }),
    );
    await put(rows);
    const filter = { from: '2026-05-01', to: '2026-06-30', includeSandbox: false };
    const groups = ['service', 'region', 'account', 'cloud', 'customer', 'subscription', 'chargeType', 'invoice', 'day', 'month'] as const;
    const customerScope = AccessScope.accounts(['acc-a', 'acc-b'], new Map([['acc-b', new Set(['c-0', 'c-1'])]]));
    for (const scope of [AccessScope.all(), customerScope]) {
      for (const a of groups) {
        for (const b of groups.filter((g) => g !== a)) {
          const fromRollup = await store.costs.aggregate(scope, [a, b], filter);
          const fromRaw = await store.costs.aggregate(scope, [a, b], { ...filter, readFrom: 'raw' });
          const sort = (cells: typeof fromRaw) => [...cells].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
          expect(sort(fromRollup)).toEqual(sort(fromRaw));
        }
      }
    }
    const drill = { ...filter, where: { service: ['Storage'], region: ['westeurope', 'eastus'] } };
    expect(await store.costs.aggregate(AccessScope.all(), ['customer'], drill)).toEqual(
      await store.costs.aggregate(AccessScope.all(), ['customer'], { ...drill, readFrom: 'raw' }),
    );
    const byTag = await store.costs.breakdown(AccessScope.all(), ['tag'], { ...filter, tagKey: 'env' });
    expect(byTag.rows.map((r) => r.keys.tag).sort()).toEqual(['', '', 'prod', 'prod']);
    expect(await store.costs.aggregate(AccessScope.all(), ['service'], { ...filter, where: { service: [] } })).toEqual([]);
  });

  it('never stores a secret in clear text', async () => {
    const raw = await store.dataSource.query(`SELECT secret_enc FROM account WHERE id = 'acc-a'`);
    expect(raw[0].secret_enc).not.toContain('s-acc-a');
    expect((await store.accounts.credentials('acc-a')).secret).toBe('s-acc-a');
  });
});
