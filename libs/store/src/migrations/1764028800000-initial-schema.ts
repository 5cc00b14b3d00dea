import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

type Kind = 'id' | 'text' | 'longtext' | 'decimal' | 'day' | 'timestamp' | 'int' | 'bool';

/** Column DDL that means the same on SQLite and PostgreSQL (decimals: numeric vs TEXT, see entity). */
function column(qr: QueryRunner, name: string, kind: Kind, opts: Partial<TableColumnOptions> = {}): TableColumnOptions {
  const postgres = qr.connection.options.type === 'postgres';
  const types: Record<Kind, Partial<TableColumnOptions> & { type: string }> = {
    id: { type: 'varchar', length: '64' },
    text: { type: 'varchar', length: '300' },
    longtext: { type: 'text' },
    decimal: { type: postgres ? 'numeric' : 'text' },
    day: { type: 'varchar', length: '10' },
    timestamp: { type: 'varchar', length: '32' },
    int: { type: 'integer' },
    bool: { type: 'boolean' },
  };
  return { name, ...types[kind], isNullable: false, ...opts };
}

export class InitialSchema1764028800000 implements MigrationInterface {
  name = 'InitialSchema1764028800000';

  async up(qr: QueryRunner): Promise<void> {
    const c = (name: string, kind: Kind, opts?: Partial<TableColumnOptions>) => column(qr, name, kind, opts);
    const nullable = { isNullable: true };

    await qr.createTable(
      new Table({
        name: 'account',
        columns: [
          c('id', 'id', { isPrimary: true }),
          c('name', 'text'),
          c('cloud', 'text', { length: '16' }),
          c('tenant_id', 'id'),
          c('app_id', 'id'),
          c('secret_enc', 'longtext'),
          c('api_base_url', 'text', { length: '500' }),
          c('token_url', 'text', { length: '500' }),
          c('token_resource', 'text', { length: '500' }),
          c('currency', 'text', { length: '3' }),
          c('sandbox', 'bool', { default: false }),
          c('enabled', 'bool', { default: true }),
          c('sync_interval_minutes', 'int', { default: 60 }),
          c('created_at', 'timestamp'),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'customer',
        columns: [
          c('account_id', 'id', { isPrimary: true }),
          c('id', 'id', { isPrimary: true }),
          c('company_name', 'text'),
          c('domain', 'text', nullable),
          c('country', 'text', { length: '8', isNullable: true }),
          c('relationship_to_partner', 'text', { length: '32', isNullable: true }),
          c('x_sync_run_id', 'id'),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'subscription',
        columns: [
          c('account_id', 'id', { isPrimary: true }),
          c('id', 'id', { isPrimary: true }),
          c('customer_id', 'id'),
          c('parent_id', 'id', nullable),
          c('kind', 'text', { length: '32' }),
          c('offer_id', 'text', { length: '100', isNullable: true }),
          c('friendly_name', 'text'),
          c('status', 'text', { length: '32' }),
          c('x_sync_run_id', 'id'),
        ],
        indices: [new TableIndex({ name: 'ix_subscription_customer', columnNames: ['account_id', 'customer_id'] })],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'sync_run',
        columns: [
          c('id', 'id', { isPrimary: true }),
          c('account_id', 'id'),
          c('stream', 'text', { length: '32' }),
          c('status', 'text', { length: '16' }),
          c('window_from', 'day', nullable),
          c('window_to', 'day', nullable),
          c('pages', 'int', { default: 0 }),
          c('rows', 'int', { default: 0 }),
          c('quarantined', 'int', { default: 0 }),
          c('started_at', 'timestamp', nullable),
          c('finished_at', 'timestamp', nullable),
          c('error', 'longtext', nullable),
        ],
        indices: [new TableIndex({ name: 'ix_sync_run_account_started', columnNames: ['account_id', 'started_at'] })],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'quarantined_record',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          c('account_id', 'id'),
          c('sync_run_id', 'id'),
          c('stream', 'text', { length: '32' }),
          c('reason', 'longtext'),
          c('payload', 'longtext'),
          c('created_at', 'timestamp'),
        ],
        indices: [new TableIndex({ name: 'ix_quarantine_account', columnNames: ['account_id', 'sync_run_id'] })],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'cost_line_item',
        columns: [
          c('billing_account_id', 'id', { isPrimary: true }),
          c('x_natural_key', 'id', { isPrimary: true }),
          c('x_cloud', 'text', { length: '16' }),
          c('x_customer_id', 'id'),
          c('x_customer_name', 'text'),
          c('x_plan_id', 'id'),
          c('sub_account_id', 'id'),
          c('sub_account_name', 'text'),
          c('service_name', 'text', { length: '200' }),
          c('service_category', 'text', { length: '64' }),
          c('region_id', 'text', { length: '64' }),
          c('region_name', 'text', { length: '100' }),
          c('resource_id', 'longtext'),
          c('x_resource_group', 'text', { length: '200' }),
          c('x_meter_id', 'id'),
          c('x_meter_name', 'text', { length: '200' }),
          c('x_meter_subcategory', 'text', { length: '200' }),
          c('charge_category', 'text', { length: '16' }),
          c('x_charge_type', 'text', { length: '32' }),
          c('charge_period_start', 'day'),
          c('billing_period_start', 'day'),
          c('invoice_id', 'id', nullable),
          c('consumed_quantity', 'decimal'),
          c('consumed_unit', 'text', { length: '64' }),
          c('x_unit_price', 'decimal'),
          c('x_effective_unit_price', 'decimal'),
          c('billed_cost', 'decimal'),
          c('billing_currency', 'text', { length: '3' }),
          c('effective_cost', 'decimal'),
          c('x_pricing_cost', 'decimal'),
          c('pricing_currency', 'text', { length: '3' }),
          c('x_exchange_rate', 'decimal'),
          c('x_exchange_rate_date', 'day'),
          c('x_partner_earned_credit_rate', 'decimal'),
          c('tags', 'longtext'),
          c('x_source', 'text', { length: '16' }),
          c('x_sync_run_id', 'id'),
          c('x_ingested_at', 'timestamp'),
        ],
        indices: [
          new TableIndex({ name: 'ix_cost_account_day', columnNames: ['billing_account_id', 'charge_period_start'] }),
          new TableIndex({ name: 'ix_cost_day', columnNames: ['charge_period_start'] }),
          new TableIndex({
            name: 'ix_cost_account_period_source',
            columnNames: ['billing_account_id', 'billing_period_start', 'x_source'],
          }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['cost_line_item', 'quarantined_record', 'sync_run', 'subscription', 'customer', 'account']) {
      await qr.dropTable(table);
    }
  }
}
