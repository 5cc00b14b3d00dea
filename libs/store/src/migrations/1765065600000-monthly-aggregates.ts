import { MigrationInterface, QueryRunner } from 'typeorm';

const LIGHT_COLUMNS = [
  'billing_account_id varchar(64) NOT NULL',
  'billing_period_start varchar(10) NOT NULL',
  'x_cloud varchar(16) NOT NULL',
  'x_customer_id varchar(64) NOT NULL',
  'sub_account_id varchar(64) NOT NULL',
  'service_name varchar(200) NOT NULL',
  'region_id varchar(64) NOT NULL',
  'x_charge_type varchar(32) NOT NULL',
  'invoice_id varchar(64) NOT NULL',
  'x_source varchar(16) NOT NULL',
  'billing_currency varchar(3) NOT NULL',
];
const AMOUNT_COLUMNS = ['billed_l0', 'billed_l1', 'billed_l2', 'list_l0', 'list_l1', 'list_l2', 'row_count'].map((c) => `${c} bigint NOT NULL DEFAULT 0`);

/**
 * Pre-aggregates for every breakdown (docs/decisions/0017-pre-aggregates-for-every-dimension.md):
 * beside the daily rollup, the dashboard dimensions by month, the same plus resource group and
 * meter, and one row per tag key and value — all with integer limbs, maintained by adding deltas as
 * the sync writes. Each row is identified by `agg_key`, a hash of its whole grain (as the raw table's
 * natural key is, decision 0002): one narrow unique key instead of a dozen text columns makes each
 * delta cheap to add. The primary key leads with the time bucket (and the tag key), so a query's
 * range is one run of that index. (SQLite: a rowid table, so new groups append; WITHOUT ROWID,
 * clustered on that key, made each delta ~3× slower with its random inserts of wide rows.)
 * The daily rollup is re-created in this shape; all four start empty and are filled from the raw
 * rows when the store opens (CostRollupRepository.rebuildIfMissing).
 */
export class MonthlyAggregates1765065600000 implements MigrationInterface {
  name = 'MonthlyAggregates1765065600000';

  async up(qr: QueryRunner): Promise<void> {
    const tables: { name: string; lead: string[]; extra: string[] }[] = [
      { name: 'cost_daily_rollup', lead: ['charge_period_start varchar(10) NOT NULL'], extra: [] },
      { name: 'cost_monthly_rollup', lead: ['charge_month varchar(7) NOT NULL'], extra: [] },
      { name: 'cost_monthly_detail', lead: ['charge_month varchar(7) NOT NULL'], extra: ['x_resource_group varchar(200) NOT NULL', 'x_meter_id varchar(64) NOT NULL'] },
      // Tag keys and values as Azure allows them (512 / 256 characters): text, not a short varchar.
      { name: 'cost_monthly_tag', lead: ['tag_key text NOT NULL', 'charge_month varchar(7) NOT NULL'], extra: ['x_resource_group varchar(200) NOT NULL', 'tag_value text NOT NULL'] },
    ];
    await qr.query('DROP TABLE cost_daily_rollup');
    for (const t of tables) {
      const pk = [...t.lead.map((c) => c.split(' ')[0]), 'agg_key'].join(', ');
      await qr.query(
        `CREATE TABLE ${t.name} (${[...t.lead, 'agg_key varchar(22) NOT NULL', ...LIGHT_COLUMNS, ...t.extra, ...AMOUNT_COLUMNS].join(', ')}, ` +
          `PRIMARY KEY (${pk}))`,
      );
      // Month close and sweeps remove or move an account's period by source.
      await qr.query(`CREATE INDEX ix_${t.name}_account_period ON ${t.name} (billing_account_id, billing_period_start, x_source)`);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['cost_monthly_tag', 'cost_monthly_detail', 'cost_monthly_rollup', 'cost_daily_rollup']) await qr.query(`DROP TABLE ${t}`);
    // The daily rollup as migration 1764288000000 made it (rebuilt on the next open).
    await qr.query(
      `CREATE TABLE cost_daily_rollup (charge_period_start varchar(10) NOT NULL, ${LIGHT_COLUMNS.join(', ')}, ${AMOUNT_COLUMNS.join(', ')})`,
    );
    await qr.query('CREATE INDEX ix_rollup_account_period ON cost_daily_rollup (billing_account_id, billing_period_start)');
    await qr.query('CREATE INDEX ix_rollup_day_account ON cost_daily_rollup (charge_period_start, billing_account_id)');
  }
}
