import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The reporting-currency rate table (docs/decisions/0010-reporting-currency.md). */
export class FxRates1764633600000 implements MigrationInterface {
  name = 'FxRates1764633600000';

  async up(qr: QueryRunner): Promise<void> {
    const decimal = qr.connection.options.type === 'postgres' ? 'numeric' : 'text';
    const str = (name: string, length: number, extra: object = {}) => ({ name, type: 'varchar', length: String(length), isNullable: false, ...extra });
    await qr.createTable(
      new Table({
        name: 'fx_rate',
        columns: [
          str('base', 3, { isPrimary: true }),
          str('quote', 3, { isPrimary: true }),
          str('period', 7, { isPrimary: true }),
          { name: 'rate', type: decimal, isNullable: false },
          str('source', 32),
          { name: 'locked', type: 'boolean', isNullable: false },
          str('updated_at', 32),
          str('updated_by', 64, { isNullable: true }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('fx_rate');
  }
}
