import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Scheduled reports: subscriptions to saved views and one delivery per (subscription, period) (decision 0021). */
export class ReportSubscriptions1765238400000 implements MigrationInterface {
  name = 'ReportSubscriptions1765238400000';

  async up(qr: QueryRunner): Promise<void> {
    const str = (name: string, length: number, extra: object = {}) => ({ name, type: 'varchar', length: String(length), isNullable: false, ...extra });
    await qr.createTable(
      new Table({
        name: 'report_subscription',
        columns: [str('id', 64, { isPrimary: true }), str('view_id', 64), str('user_id', 64), str('frequency', 16), str('created_at', 32), str('updated_at', 32)],
        foreignKeys: [
          { columnNames: ['view_id'], referencedTableName: 'saved_view', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['user_id'], referencedTableName: 'app_user', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
    await qr.createIndex('report_subscription', new TableIndex({ name: 'ux_report_subscription_view_user', columnNames: ['view_id', 'user_id'], isUnique: true }));
    await qr.createIndex('report_subscription', new TableIndex({ name: 'ix_report_subscription_user', columnNames: ['user_id'] }));
    await qr.createTable(
      new Table({
        name: 'report_delivery',
        columns: [
          str('id', 64, { isPrimary: true }),
          str('subscription_id', 64),
          str('period', 16),
          str('status', 16),
          { name: 'attempts', type: 'integer', isNullable: false },
          { name: 'rows', type: 'integer', isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
          str('claimed_at', 32),
          str('sent_at', 32, { isNullable: true }),
        ],
        foreignKeys: [{ columnNames: ['subscription_id'], referencedTableName: 'report_subscription', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
    await qr.createIndex('report_delivery', new TableIndex({ name: 'ux_report_delivery_subscription_period', columnNames: ['subscription_id', 'period'], isUnique: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('report_delivery');
    await qr.dropTable('report_subscription');
  }
}
