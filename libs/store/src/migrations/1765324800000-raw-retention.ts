import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Retention of raw line items (docs/decisions/0023): per account, the month before which raw rows
 * were pruned (the aggregates keep their totals), with what was pruned and what later syncs of
 * those months brought and was skipped.
 */
export class RawRetention1765324800000 implements MigrationInterface {
  name = 'RawRetention1765324800000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'cost_retention',
        columns: [
          { name: 'account_id', type: 'varchar', length: '64', isPrimary: true },
          // YYYY-MM: raw rows charged before the first day of this month are gone.
          { name: 'pruned_before', type: 'varchar', length: '7', isNullable: false },
          { name: 'pruned_at', type: 'varchar', length: '32', isNullable: false },
          { name: 'rows_pruned', type: 'bigint', default: 0, isNullable: false },
          // Rows of pruned months a later sync delivered again: not written (the aggregates hold them).
          { name: 'rows_skipped', type: 'bigint', default: 0, isNullable: false },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('cost_retention');
  }
}
