import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/**
 * cost_daily_rollup: one row per account × usage day × customer × subscription × service × region
 * × charge type × invoice × source × currency, with the billed and list cost as integer limbs
 * (libs/finops/src/limbs.ts) so that SUM() is exact on SQLite too. Dashboard queries read this
 * table; it is rebuilt per account and billing period after each sync
 * (docs/decisions/0008-daily-rollups.md).
 */
export class DailyRollup1764288000000 implements MigrationInterface {
  name = 'DailyRollup1764288000000';

  async up(qr: QueryRunner): Promise<void> {
    const str = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: false });
    const int = (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false, default: 0 });
    await qr.createTable(
      new Table({
        name: 'cost_daily_rollup',
        columns: [
          str('billing_account_id', 64),
          str('charge_period_start', 10),
          str('billing_period_start', 10),
          str('x_cloud', 16),
          str('x_customer_id', 64),
          str('sub_account_id', 64),
          str('service_name', 200),
          str('region_id', 64),
          str('x_charge_type', 32),
          str('invoice_id', 64),
          str('x_source', 16),
          str('billing_currency', 3),
          int('billed_l0'),
          int('billed_l1'),
          int('billed_l2'),
          int('list_l0'),
          int('list_l1'),
          int('list_l2'),
          int('row_count'),
        ],
        indices: [
          new TableIndex({ name: 'ix_rollup_account_period', columnNames: ['billing_account_id', 'billing_period_start'] }),
          new TableIndex({ name: 'ix_rollup_day_account', columnNames: ['charge_period_start', 'billing_account_id'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('cost_daily_rollup');
  }
}
