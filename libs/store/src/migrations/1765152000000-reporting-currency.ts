import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Reporting currency (docs/decisions/0018): organisation settings, and a partial covering index that
 * lets Microsoft's billing rates be read without visiting the cost rows. Partial: only rows priced in
 * one currency and billed in another carry a rate worth reading, so same-currency ingest (the bulk,
 * and the ingest benchmark) pays nothing for it.
 */
export class ReportingCurrency1765152000000 implements MigrationInterface {
  name = 'ReportingCurrency1765152000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'org_setting',
        columns: [
          { name: 'key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'text', isNullable: false },
          { name: 'updated_at', type: 'varchar', length: '32', isNullable: false },
          { name: 'updated_by', type: 'varchar', length: '64', isNullable: true },
        ],
      }),
    );
    await qr.createIndex(
      'cost_line_item',
      new TableIndex({
        name: 'ix_cost_billing_rate',
        columnNames: [
          'charge_period_start',
          'pricing_currency',
          'billing_currency',
          'x_exchange_rate',
          'x_exchange_rate_date',
          'x_source',
          'billing_account_id',
        ],
        where: 'pricing_currency <> billing_currency',
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('cost_line_item', 'ix_cost_billing_rate');
    await qr.dropTable('org_setting');
  }
}
