import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Saved views (docs/decisions/0012-saved-views.md). */
export class SavedViews1764806400000 implements MigrationInterface {
  name = 'SavedViews1764806400000';

  async up(qr: QueryRunner): Promise<void> {
    const str = (name: string, length: number, extra: object = {}) => ({ name, type: 'varchar', length: String(length), isNullable: false, ...extra });
    await qr.createTable(
      new Table({
        name: 'saved_view',
        columns: [
          str('id', 64, { isPrimary: true }),
          str('owner_id', 64),
          str('name', 200),
          str('path', 64),
          { name: 'query', type: 'text', isNullable: false },
          { name: 'shared', type: 'boolean', isNullable: false },
          { name: 'account_ids', type: 'text', isNullable: true },
          str('created_at', 32),
          str('updated_at', 32),
        ],
        foreignKeys: [{ columnNames: ['owner_id'], referencedTableName: 'app_user', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
    await qr.createIndex('saved_view', new TableIndex({ name: 'ix_saved_view_owner', columnNames: ['owner_id'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('saved_view');
  }
}
