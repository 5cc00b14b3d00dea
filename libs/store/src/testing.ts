import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { CostRow } from './entities/cost-line-item.entity';
import { AccessScope } from './access-scope';
import { AGGREGATE_TABLES, AMOUNT_COLUMNS, SPAN_TABLES } from './repositories/cost-aggregates';
import { fromLimbSums } from '@meridian/finops';
import type { Store } from './store';
import { StoreConfig } from './store.config';

/**
 * Throwaway stores for integration tests: a fresh SQLite file, or a fresh schema in the test
 * PostgreSQL database (DATABASE_TEST_URL). There is no skip: if PostgreSQL is down, tests fail.
 */
export interface TestStore {
  config: StoreConfig;
  drop(): Promise<void>;
}

export const TEST_DATABASE_URL = process.env.DATABASE_TEST_URL || 'postgres://postgres@127.0.0.1:5432/test';

export async function createTestStore(kind: 'sqlite' | 'postgres'): Promise<TestStore> {
  const suffix = randomBytes(6).toString('hex');
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-test-'));
    return {
      config: { type: 'sqlite', database: path.join(dir, 'meridian.sqlite') },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${suffix}`;
  await withPg((c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    config: { type: 'postgres', url: TEST_DATABASE_URL, schema },
    drop: () => withPg((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined),
  };
}

async function withPg<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`PostgreSQL for tests is not reachable at ${TEST_DATABASE_URL}: ${(err as Error).message}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A plausible cost row (EUR usage of one VM-hour day) with a fresh natural key; override any field. */
export function sampleCostRow(overrides: Partial<CostRow> = {}): CostRow {
  return {
    billingAccountId: 'acc-a',
    xNaturalKey: randomBytes(8).toString('hex'),
    xCloud: 'global',
    xCustomerId: 'cust-1',
    xCustomerName: 'Contoso',
    xPlanId: 'plan-1',
    subAccountId: 'sub-1',
    subAccountName: 'Production',
    serviceName: 'Virtual Machines',
    serviceCategory: 'Compute',
    regionId: 'westeurope',
    regionName: 'EU West',
    resourceId: '/subscriptions/sub-1/resourceGroups/rg/providers/x/vm1',
    xResourceGroup: 'rg',
    xMeterId: 'meter-1',
    xMeterName: 'D2 v3',
    xMeterSubcategory: 'Dv3',
    chargeCategory: 'Usage',
    xChargeType: 'new',
    chargePeriodStart: '2026-10-13',
    billingPeriodStart: '2026-10-01',
    invoiceId: null,
    consumedQuantity: '24',
    consumedUnit: '1 Hour',
    xUnitPrice: '0.096',
    xEffectiveUnitPrice: '0.0816',
    billedCost: '0.1',
    billingCurrency: 'EUR',
    effectiveCost: '0.1',
    xPricingCost: '0.11',
    xListCost: '0.12',
    pricingCurrency: 'USD',
    xExchangeRate: '0.92',
    xExchangeRateDate: '2026-10-01',
    xPartnerEarnedCreditRate: '0.15',
    tags: '{}',
    xSource: 'unbilled',
    xSyncRunId: 'run-1',
    xIngestedAt: '2026-10-14T00:00:00.000Z',
    ...overrides,
  };
}

/**
 * Every total of a store: "account|YYYY-MM|currency" → exact amount, from the aggregates (default)
 * or summed from the raw line items. Backup, restore, upgrade and retention tests compare these.
 */
export async function storedTotals(store: Store, options: { readFrom?: 'raw' } = {}): Promise<Record<string, string>> {
  const cells = await store.costs.aggregate(AccessScope.all(), ['account', 'month'], {
    from: '2000-01-01',
    to: '2099-12-31',
    includeSandbox: true,
    includeEstimated: true,
    ...options,
  });
  return Object.fromEntries(cells.map((c) => [`${c.keys[0]}|${c.keys[1]}|${c.currency}`, c.amount]).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every aggregate and span table as sorted text lines: table, key values, billed and list value, count. */
export async function aggregateSnapshot(store: Store): Promise<string[]> {
  const out: string[] = [];
  for (const t of [...AGGREGATE_TABLES, ...SPAN_TABLES]) {
    const rows: Record<string, string | number | null>[] = await store.dataSource.query(
      `SELECT ${t.keyColumns.join(', ')}, ${AMOUNT_COLUMNS.map((c) => `CAST(${c} AS TEXT) AS ${c}`).join(', ')} FROM ${t.name}`,
    );
    for (const r of rows) {
      const keys = t.keyColumns.map((c) => r[c]).join('|');
      out.push(`${t.name}|${keys}|${fromLimbSums(r.billed_l0, r.billed_l1, r.billed_l2)}|${fromLimbSums(r.list_l0, r.list_l1, r.list_l2)}|${r.row_count}`);
    }
  }
  return out.sort();
}
