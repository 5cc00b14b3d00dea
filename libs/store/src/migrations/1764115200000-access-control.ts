import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

export class AccessControl1764115200000 implements MigrationInterface {
  name = 'AccessControl1764115200000';

  async up(qr: QueryRunner): Promise<void> {
    const v = (name: string, length: number, extra: object = {}) => ({ name, type: 'varchar', length: String(length), isNullable: false, ...extra });
    const nullable = { isNullable: true };
    await qr.createTable(
      new Table({
        name: 'app_user',
        columns: [
          v('id', 64, { isPrimary: true }),
          v('email', 320, { isUnique: true }),
          v('display_name', 200),
          { name: 'password_hash', type: 'text', isNullable: true },
          { name: 'is_owner', type: 'boolean', default: false },
          v('oidc_identity', 500, nullable),
          { name: 'disabled', type: 'boolean', default: false },
          { name: 'failed_logins', type: 'integer', default: 0 },
          v('locked_until', 32, nullable),
          v('created_at', 32),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'access_grant',
        columns: [v('id', 64, { isPrimary: true }), v('user_id', 64), v('account_id', 64, nullable), v('role', 16), v('customer_id', 64, nullable), v('created_at', 32)],
        indices: [new TableIndex({ name: 'ix_grant_user', columnNames: ['user_id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'api_token',
        columns: [
          v('id', 64, { isPrimary: true }),
          v('user_id', 64),
          v('name', 200),
          v('token_hash', 64, { isUnique: true }),
          v('prefix', 16),
          v('created_at', 32),
          v('last_used_at', 32, nullable),
          v('revoked_at', 32, nullable),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'user_session',
        columns: [v('id_hash', 64, { isPrimary: true }), v('user_id', 64), v('csrf_token', 64), v('created_at', 32), v('expires_at', 32)],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'audit_event',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          v('at', 32),
          v('user_id', 64, nullable),
          v('action', 64),
          v('target', 300, nullable),
          { name: 'details', type: 'text', isNullable: false },
          v('ip', 64, nullable),
        ],
        indices: [new TableIndex({ name: 'ix_audit_at', columnNames: ['at'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['audit_event', 'user_session', 'api_token', 'access_grant', 'app_user']) await qr.dropTable(t);
  }
}
