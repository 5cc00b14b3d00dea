import { MigrationInterface, QueryRunner, Table, TableIndex, TableUnique } from 'typeorm';

/**
 * Alerts (DESIGN §8, docs/decisions/0011-alerting.md): rules, notification channels, alert events
 * (one per rule × threshold × period × crossing) and every delivery attempt. Amounts are kept as
 * the exact decimal strings finops produced, in text columns on both databases.
 */
export class Alerts1764720000000 implements MigrationInterface {
  name = 'Alerts1764720000000';

  async up(qr: QueryRunner): Promise<void> {
    const v = (name: string, length: number, extra: object = {}) => ({ name, type: 'varchar', length: String(length), isNullable: false, ...extra });
    const text = (name: string, extra: object = {}) => ({ name, type: 'text', isNullable: false, ...extra });
    const nullable = { isNullable: true };
    await qr.createTable(
      new Table({
        name: 'alert_rule',
        columns: [
          v('id', 64, { isPrimary: true }),
          v('name', 200),
          v('kind', 16),
          { name: 'enabled', type: 'boolean', isNullable: false },
          text('config'),
          text('channel_ids'),
          v('created_by', 64, nullable),
          v('created_at', 32),
          v('updated_at', 32),
          v('last_evaluated_at', 32, nullable),
          text('last_status', nullable),
          text('last_error', nullable),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'notification_channel',
        columns: [
          v('id', 64, { isPrimary: true }),
          v('name', 200),
          v('kind', 16),
          text('config'),
          text('secret_enc', nullable),
          v('created_by', 64, nullable),
          v('created_at', 32),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'alert_event',
        columns: [
          v('id', 64, { isPrimary: true }),
          v('rule_id', 64),
          v('rule_name', 200),
          v('category', 16),
          v('threshold_id', 300),
          v('period_key', 16),
          { name: 'crossing', type: 'integer', isNullable: false },
          v('status', 16),
          text('condition'),
          text('value_amount', nullable),
          v('value_currency', 3, nullable),
          text('limit_amount', nullable),
          v('limit_currency', 3, nullable),
          text('account_ids'),
          text('detail'),
          v('fired_at', 32),
          v('acknowledged_at', 32, nullable),
          v('acknowledged_by', 64, nullable),
          v('resolved_at', 32, nullable),
          v('resolve_reason', 32, nullable),
        ],
        // Two workers evaluating at once cannot both record (and notify) the same crossing.
        uniques: [new TableUnique({ name: 'uq_alert_event_crossing', columnNames: ['rule_id', 'threshold_id', 'period_key', 'crossing'] })],
        indices: [
          new TableIndex({ name: 'ix_alert_event_status', columnNames: ['status', 'fired_at'] }),
          new TableIndex({ name: 'ix_alert_event_rule', columnNames: ['rule_id', 'status'] }),
        ],
      }),
    );
    // The accounts an event concerns, one row each, so the access scope filters in SQL.
    await qr.createTable(
      new Table({
        name: 'alert_event_account',
        columns: [v('event_id', 64, { isPrimary: true }), v('account_id', 64, { isPrimary: true })],
        indices: [new TableIndex({ name: 'ix_alert_event_account', columnNames: ['account_id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'notification_delivery',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          v('alert_event_id', 64, nullable),
          v('channel_id', 64),
          v('dedup_key', 500),
          v('transition', 16),
          { name: 'attempt', type: 'integer', isNullable: false },
          { name: 'ok', type: 'boolean', isNullable: false },
          { name: 'status', type: 'integer', isNullable: true },
          text('error', nullable),
          v('at', 32),
        ],
        indices: [
          new TableIndex({ name: 'ix_delivery_channel_key', columnNames: ['channel_id', 'dedup_key'] }),
          new TableIndex({ name: 'ix_delivery_event', columnNames: ['alert_event_id'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['notification_delivery', 'alert_event_account', 'alert_event', 'notification_channel', 'alert_rule']) await qr.dropTable(t);
  }
}
