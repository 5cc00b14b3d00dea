import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Organisation settings: reporting currency and rate-source precedence (docs/decisions/0016). */
export class OrgSettings1765152000000 implements MigrationInterface {
  name = 'OrgSettings1765152000000';

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
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('org_setting');
  }
}
