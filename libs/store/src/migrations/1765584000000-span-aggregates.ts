import { MigrationInterface, QueryRunner } from 'typeorm';

const AMOUNTS = ['billed_l0', 'billed_l1', 'billed_l2', 'list_l0', 'list_l1', 'list_l2', 'row_count'].map((c) => `${c} bigint NOT NULL DEFAULT 0`);

/**
 * The span tables (docs/decisions/0028): resource group and meter sums over spans of 1, 2, 4 and 8
 * months, for year-long breakdowns that would otherwise sort every monthly detail group. Created
 * empty; the store fills them from the monthly detail when it opens (CostRollupRepository
 * .rebuildIfMissing), in JavaScript, because agg_key is the md5 of the grain that AggregateWriter
 * computes. SQLite: WITHOUT ROWID, so a span's groups lie together in primary-key order — a rowid
 * table keeps them in arrival order, and reading four spans through the key then cost a random row
 * lookup per group (a year of resource groups at 10M rows: 113 ms of SQL, 63 ms clustered); the
 * deltas find their row by the same key.
 */
export class SpanAggregates1765584000000 implements MigrationInterface {
  name = 'SpanAggregates1765584000000';

  async up(qr: QueryRunner): Promise<void> {
    const tables: { name: string; grain: string[] }[] = [
      {
        name: 'cost_span_resource_group',
        grain: [
          'billing_account_id varchar(64) NOT NULL',
          'x_cloud varchar(16) NOT NULL',
          'x_customer_id varchar(64) NOT NULL',
          'sub_account_id varchar(64) NOT NULL',
          'x_resource_group varchar(200) NOT NULL',
          'service_name varchar(200) NOT NULL',
          'billing_currency varchar(3) NOT NULL',
        ],
      },
      {
        name: 'cost_span_meter',
        grain: ['billing_account_id varchar(64) NOT NULL', 'x_cloud varchar(16) NOT NULL', 'x_meter_id varchar(64) NOT NULL', 'service_name varchar(200) NOT NULL', 'billing_currency varchar(3) NOT NULL'],
      },
    ];
    for (const t of tables) {
      const clustered = qr.connection.options.type === 'postgres' ? '' : ' WITHOUT ROWID';
      await qr.query(`CREATE TABLE ${t.name} (span varchar(10) NOT NULL, agg_key varchar(22) NOT NULL, ${[...t.grain, ...AMOUNTS].join(', ')}, PRIMARY KEY (span, agg_key))${clustered}`);
      // A rebuild of one account's spans removes that account's rows.
      await qr.query(`CREATE INDEX ix_${t.name}_account ON ${t.name} (billing_account_id)`);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE cost_span_meter');
    await qr.query('DROP TABLE cost_span_resource_group');
  }
}
