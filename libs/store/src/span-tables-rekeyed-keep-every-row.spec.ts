import { AccessScope } from './access-scope';
import { SPAN_TABLES } from './repositories/cost-aggregates';
import { SecretBox } from './secret-box';
import { Store } from './store';
import { createTestStore, sampleCostRow, TestStore } from './testing';

/**
 * Migration SpansKeyedByDimension1765670400000 (decision 0032) re-keys the span tables of a store
 * that already holds them: every row kept as it was, down and up again, and the year's answer the same.
 */
describe.each(['sqlite', 'postgres'] as const)('the span tables re-keyed by their dimension on %s', (kind) => {
  let test: TestStore;
  let store: Store;

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 3)));
    await store.accounts.upsertConnection(
      {
        id: 'acc-a',
        name: 'acc-a',
        cloud: 'global',
        tenantId: 't',
        appId: 'app',
        secret: 's',
        apiBaseUrl: 'http://x',
        tokenUrl: 'http://x/token',
        tokenResource: 'r',
        currency: 'EUR',
        sandbox: false,
      },
      { userId: null, via: 'test' },
    );
    const rows = [];
    for (let i = 0; i < 300; i++) {
      const month = String(1 + (i % 12)).padStart(2, '0');
      rows.push(
        sampleCostRow({
          xResourceGroup: `rg-${i % 37}`,
          xMeterId: `meter-${i % 41}`,
          chargePeriodStart: `2026-${month}-0${1 + (i % 9)}`,
          billingPeriodStart: `2026-${month}-01`,
          billedCost: `${i}.${i % 7}3`,
        }),
      );
    }
    await store.costs.upsert(rows);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await test?.drop();
  });

  async function primaryKey(table: string): Promise<string[]> {
    if (kind === 'sqlite') {
      const cols: { name: string; pk: number }[] = await store.dataSource.query(`PRAGMA table_info(${table})`);
      return cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
    }
    const cols: { attname: string }[] = await store.dataSource.query(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) ` +
        `WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
      [table],
    );
    return cols.map((c) => c.attname);
  }

  async function indexes(table: string): Promise<string[]> {
    const rows: { name: string }[] =
      kind === 'sqlite'
        ? await store.dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, [table])
        : await store.dataSource.query(
            `SELECT indexname AS name FROM pg_indexes WHERE tablename = $1 AND schemaname = current_schema() AND indexname NOT LIKE '%pkey'`,
            [table],
          );
    return rows.map((r) => r.name);
  }

  async function contents(): Promise<string[]> {
    const all: string[] = [];
    for (const t of SPAN_TABLES) {
      const rows: Record<string, unknown>[] = await store.dataSource.query(`SELECT * FROM ${t.name}`);
      all.push(
        ...rows.map(
          (r) =>
            `${t.name} ${Object.keys(r)
              .sort()
              .map((k) => `${k}=${String(r[k])}`)
              .join(' ')}`,
        ),
      );
    }
    return all.sort();
  }

  it('keeps every span row through down and up, with the key of each direction', async () => {
    const year = { from: '2026-01-01', to: '2026-12-31', includeSandbox: false };
    const before = await contents();
    const answer = await store.costs.breakdown(AccessScope.all(), ['resourceGroup', 'service'], year);
    expect(before.length).toBeGreaterThan(100);
    expect(await primaryKey('cost_span_resource_group')).toEqual(['span', 'x_resource_group', 'agg_key']);
    expect(await primaryKey('cost_span_meter')).toEqual(['span', 'x_meter_id', 'agg_key']);

    await store.dataSource.undoLastMigration();
    expect(await primaryKey('cost_span_resource_group')).toEqual(['span', 'agg_key']);
    expect(await primaryKey('cost_span_meter')).toEqual(['span', 'agg_key']);
    expect(await contents()).toEqual(before);

    await store.dataSource.runMigrations();
    expect(await primaryKey('cost_span_resource_group')).toEqual(['span', 'x_resource_group', 'agg_key']);
    expect(await primaryKey('cost_span_meter')).toEqual(['span', 'x_meter_id', 'agg_key']);
    expect(await contents()).toEqual(before);
    for (const t of SPAN_TABLES) expect(await indexes(t.name)).toEqual([`ix_${t.name}_account`]);
    await store.rollups.rebuild();
    expect(await contents()).toEqual(before);
    expect(await store.costs.breakdown(AccessScope.all(), ['resourceGroup', 'service'], year)).toEqual(answer);
  });
});
