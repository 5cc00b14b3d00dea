import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/** Invoices (+ billed-usage checkpoint), their billing line items, and measurable progress of long runs. */
export class Invoices1764547200000 implements MigrationInterface {
  name = 'Invoices1764547200000';

  async up(qr: QueryRunner): Promise<void> {
    const decimal = qr.connection.options.type === 'postgres' ? 'numeric' : 'text';
    const str = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });
    await qr.createTable(
      new Table({
        name: 'invoice',
        columns: [
          { ...str('account_id', 64), isPrimary: true },
          { ...str('id', 64), isPrimary: true },
          str('invoice_date', 10),
          str('billing_period_start', 10),
          str('billing_period_end', 10),
          { name: 'total_charges', type: decimal, isNullable: false },
          { name: 'paid_amount', type: decimal, isNullable: true },
          str('currency', 3),
          str('document_type', 32),
          str('invoice_type', 32),
          str('amends_of', 64, true),
          str('due_date', 10, true),
          { name: 'has_usage', type: 'boolean', isNullable: false },
          str('billed_usage_synced_at', 32, true),
          str('billing_lines_synced_at', 32, true),
          { name: 'billed_usage_rows', type: 'integer', isNullable: false, default: 0 },
          str('x_sync_run_id', 64),
        ],
        indices: [new TableIndex({ name: 'ix_invoice_account_period', columnNames: ['account_id', 'billing_period_start'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'invoice_line_item',
        columns: [
          { ...str('account_id', 64), isPrimary: true },
          { ...str('invoice_id', 64), isPrimary: true },
          { ...str('line_key', 64), isPrimary: true },
          str('customer_id', 64),
          str('customer_name', 300),
          str('subscription_id', 64),
          str('product_name', 300),
          str('charge_type', 64),
          { name: 'subtotal', type: decimal, isNullable: false },
          { name: 'tax_total', type: decimal, isNullable: true },
          { name: 'total_for_customer', type: decimal, isNullable: true },
          str('currency', 3),
          str('x_sync_run_id', 64),
        ],
      }),
    );
    await qr.addColumns('sync_run', [
      new TableColumn({ name: 'units_done', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'units_total', type: 'integer', isNullable: true }),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('sync_run', 'units_total');
    await qr.dropColumn('sync_run', 'units_done');
    await qr.dropTable('invoice_line_item');
    await qr.dropTable('invoice');
  }
}
