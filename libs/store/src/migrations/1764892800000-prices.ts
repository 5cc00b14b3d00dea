import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * `price`: each account's Azure rate card (partner-center-api.md §8.1), one row per meter, replaced
 * whole by every run of the prices stream. Legacy Azure estimates need no table of their own: they
 * are cost rows with x_source 'estimated' (docs/decisions/0013-prices-and-legacy-estimates.md).
 */
export class Prices1764892800000 implements MigrationInterface {
  name = 'Prices1764892800000';

  async up(qr: QueryRunner): Promise<void> {
    const decimal = qr.connection.options.type === 'postgres' ? 'numeric' : 'text';
    const str = (name: string, length: number, extra: object = {}) => ({ name, type: 'varchar', length: String(length), isNullable: false, ...extra });
    await qr.createTable(
      new Table({
        name: 'price',
        columns: [
          str('account_id', 64, { isPrimary: true }),
          str('meter_id', 64, { isPrimary: true }),
          str('name', 300),
          str('category', 200),
          str('subcategory', 200),
          str('region', 100),
          str('unit', 64),
          // {"0": "0.05", "1024": "0.04"}: threshold → unit price, exact decimal strings.
          { name: 'rates', type: 'text', isNullable: false },
          { name: 'included_quantity', type: decimal, isNullable: false },
          str('effective_date', 32),
          str('currency', 3),
          str('synced_at', 32),
          str('x_sync_run_id', 64),
        ],
      }),
    );
    await qr.createIndex('price', new TableIndex({ name: 'ix_price_account_name', columnNames: ['account_id', 'name', 'meter_id'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('price');
  }
}
