import { GroupedSum } from '@meridian/finops';
import { AccessScope } from '../access-scope';
import { CostRow } from '../entities/cost-line-item.entity';
import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { createTestStore, sampleCostRow, TestStore } from '../testing';

/**
 * A year of resource groups or meters is read from the span tables in parts, one per read thread
 * (SQLite) or pooled connection (PostgreSQL), each a range of the grouped dimension (decision 0032).
 * Each part groups its own values, so the parts' rows are the answer: none may be lost at a cut,
 * none counted twice, under every scope and filter. Thousands of groups per span, so that the store cuts (it leaves small spans whole).
 */
describe.each(['sqlite', 'postgres'] as const)(
  'a year of resource groups and meters read in parts on %s (two read threads or connections)',
  (kind) => {
    let test: TestStore;
    let store: Store;
    const rows: CostRow[] = [];
    const YEAR = { from: '2026-01-01', to: '2026-12-31', includeSandbox: false };
    const customerLimited = AccessScope.accounts(['acc-a', 'acc-b'], new Map([['acc-a', new Set(['cust-1'])]]));
    /** The SQL of every read the store sent to its read threads. */
    let reads: string[] = [];

    beforeAll(async () => {
      test = await createTestStore(kind);
      store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 7)), { readThreads: 2 });
      for (const [id, currency] of [
        ['acc-a', 'EUR'],
        ['acc-b', 'USD'],
      ] as const) {
        await store.accounts.upsertConnection(
          {
            id,
            name: id,
            cloud: 'global',
            tenantId: `t-${id}`,
            appId: `app-${id}`,
            secret: `s-${id}`,
            apiBaseUrl: 'http://x',
            tokenUrl: 'http://x/token',
            tokenResource: 'r',
            currency,
            sandbox: false,
          },
          { userId: null, via: 'test' },
        );
      }
      // Per account 2,400 resource groups of two customers (names shared between the customers and the
      // accounts, so an answer's group sums several span groups) and 2,200 meters; a row in January to
      // August (the span 2026-01/8) and one in September to December (2026-09/4).
      for (const [account, currency] of [
        ['acc-a', 'EUR'],
        ['acc-b', 'USD'],
      ] as const) {
        for (let g = 0; g < 2400; g++) {
          for (const month of [1 + (g % 8), 9 + (g % 4)]) {
            const cents = ((g * 7919 + month * 104729) % 1_000_000) - (g % 13 === 0 ? 400_000 : 0);
            rows.push(
              sampleCostRow({
                billingAccountId: account,
                billingCurrency: currency,
                xCustomerId: `cust-${1 + (g % 2)}`,
                subAccountId: `sub-${account}-${g % 2}`,
                xResourceGroup: `rg-${String(g % 1800).padStart(4, '0')}`,
                serviceName: `Service ${g % 7}`,
                xMeterId: `meter-${String(g % 2200).padStart(4, '0')}`,
                chargePeriodStart: `2026-${String(month).padStart(2, '0')}-${String(1 + (g % 28)).padStart(2, '0')}`,
                billingPeriodStart: `2026-${String(month).padStart(2, '0')}-01`,
                billedCost: `${(cents / 1e4).toFixed(4)}${String((g * 31 + month) % 1_000_000).padStart(6, '0')}`,
                xListCost: `${((cents + 12_345) / 1e4).toFixed(4)}7`,
              }),
            );
          }
        }
      }
      for (let i = 0; i < rows.length; i += 2000) await store.costs.upsert(rows.slice(i, i + 2000));
      // Aggregate reads come as arrays (queryArrays); the parts' cut points as objects (query).
      const query = store.reads.query.bind(store.reads);
      jest.spyOn(store.reads, 'query').mockImplementation((sql, params, options) => {
        reads.push(sql);
        return query(sql, params, options);
      });
      const queryArrays = store.reads.queryArrays.bind(store.reads);
      jest.spyOn(store.reads, 'queryArrays').mockImplementation((sql, params, options) => {
        reads.push(sql);
        return queryArrays(sql, params, options);
      });
    }, 120_000);

    beforeEach(() => {
      reads = [];
    });

    afterAll(async () => {
      await store?.close();
      await test?.drop();
    });

    /** The answer computed from the raw rows: the list cost in accounts seen through customer grants. */
    function expected<G extends 'resourceGroup' | 'service' | 'meter' | 'customer'>(
      groups: G[],
      scope: AccessScope,
      keep: (r: CostRow) => boolean = () => true,
    ) {
      const sum = new GroupedSum<G>(groups);
      const value: Record<string, (r: CostRow) => string> = {
        resourceGroup: (r) => r.xResourceGroup,
        service: (r) => r.serviceName,
        meter: (r) => r.xMeterId,
        customer: (r) => r.xCustomerId,
      };
      for (const r of rows) {
        if (!scope.allows(r.billingAccountId) || !keep(r)) continue;
        const customers = scope.customersOf(r.billingAccountId);
        if (customers && !customers.includes(r.xCustomerId)) continue;
        const keys = Object.fromEntries(groups.map((g) => [g, value[g](r)])) as Record<G, string>;
        sum.add(keys, r.billingCurrency, customers ? r.xListCost! : r.billedCost);
      }
      return { rows: sum.result(), totals: sum.totals() };
    }

    /** The span statements of the last answer, and the range each was cut to (placeholders as SQLite writes them). */
    function partsRead(table: string): string[] {
      return reads
        .filter((sql) => sql.includes(`FROM ${table}`) && sql.includes('GROUP BY'))
        .map(
          (sql) =>
            sql.match(/AND x_(resource_group|meter_id) (>=|<) (\?|\$\d+)( AND x_\w+ < (\?|\$\d+))?/)?.[0].replace(/\$\d+/g, '?') ?? 'whole',
        );
    }

    it("reads a year's resource group × service in two key ranges whose rows are exactly the raw rows' sums", async () => {
      const answer = await store.costs.breakdown(AccessScope.all(), ['resourceGroup', 'service'], YEAR);
      expect(answer).toEqual(expected(['resourceGroup', 'service'], AccessScope.all()));
      expect(answer.rows.length).toBeGreaterThan(1000);
      expect(partsRead('cost_span_resource_group')).toEqual(['AND x_resource_group < ?', 'AND x_resource_group >= ?']);
    });

    it("reads a year's meters in two key ranges, exactly", async () => {
      const answer = await store.costs.breakdown(AccessScope.all(), ['meter'], YEAR);
      expect(answer).toEqual(expected(['meter'], AccessScope.all()));
      expect(partsRead('cost_span_meter')).toEqual(['AND x_meter_id < ?', 'AND x_meter_id >= ?']);
    });

    it('keeps the scope in every part: list cost and only the granted customers where a grant names customers', async () => {
      const answer = await store.costs.breakdown(customerLimited, ['resourceGroup', 'customer'], YEAR);
      expect(answer).toEqual(expected(['resourceGroup', 'customer'], customerLimited));
      expect(answer.rows.some((r) => r.keys.customer === 'cust-2' && r.currency === 'EUR')).toBe(false);
      expect(partsRead('cost_span_resource_group')).toHaveLength(2);
    });

    it('keeps a filter on the cut dimension in every part: values on both sides of the cut, each counted once', async () => {
      const picked = ['rg-0000', 'rg-0001', 'rg-0899', 'rg-0900', 'rg-0901', 'rg-1799'];
      const answer = await store.costs.breakdown(AccessScope.all(), ['resourceGroup'], { ...YEAR, where: { resourceGroup: picked } });
      expect(answer).toEqual(expected(['resourceGroup'], AccessScope.all(), (r) => picked.includes(r.xResourceGroup)));
      expect(answer.rows.map((r) => r.keys.resourceGroup).sort()).toEqual([...picked, ...picked].sort());
      expect(partsRead('cost_span_resource_group')).toHaveLength(2);
    });

    it('reads spans it cannot cut by the grouped values (a year by service) whole', async () => {
      const answer = await store.costs.breakdown(AccessScope.all(), ['service'], YEAR);
      expect(answer).toEqual(expected(['service'], AccessScope.all()));
      expect(partsRead('cost_span_resource_group')).toEqual(['whole']);
    });
  },
);
