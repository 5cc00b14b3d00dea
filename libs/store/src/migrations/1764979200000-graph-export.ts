import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

/**
 * Microsoft Graph billing export (docs/decisions/0015): each account's Graph endpoints and read
 * override, the export checkpoints a killed worker resumes from, and the phase of a run.
 */
export class GraphExport1764979200000 implements MigrationInterface {
  name = 'GraphExport1764979200000';

  async up(qr: QueryRunner): Promise<void> {
    const bigint = qr.connection.options.type === 'postgres' ? 'bigint' : 'integer';
    await qr.addColumns('account', [
      new TableColumn({ name: 'graph_base_url', type: 'varchar', length: '500', isNullable: true }),
      new TableColumn({ name: 'graph_token_url', type: 'varchar', length: '500', isNullable: true }),
      // auto: the §5.4 table decides per cloud, data set and period; graph | v1 force one path.
      new TableColumn({ name: 'usage_api', type: 'varchar', length: '8', isNullable: false, default: "'auto'" }),
    ]);
    await qr.addColumns('sync_run', [
      new TableColumn({ name: 'read_path', type: 'varchar', length: '8', isNullable: true }),
      new TableColumn({ name: 'phase', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'blobs_done', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'blobs_total', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'bytes_done', type: bigint, isNullable: true }),
    ]);
    await qr.createTable(
      new Table({
        name: 'graph_export_checkpoint',
        columns: [
          { name: 'account_id', type: 'varchar', length: '64', isPrimary: true },
          // e.g. usage-unbilled:2026-11-01 or usage-billed:G615202610
          { name: 'export_key', type: 'varchar', length: '120', isPrimary: true },
          { name: 'operation_url', type: 'text', isNullable: false },
          { name: 'etag', type: 'varchar', length: '200', isNullable: true },
          { name: 'blob_index', type: 'integer', isNullable: false },
          { name: 'line_in_blob', type: 'integer', isNullable: false },
          // JSON array of the sync runs that wrote rows under this export (stale-row cleanup spares them).
          { name: 'run_ids', type: 'text', isNullable: false },
          { name: 'updated_at', type: 'varchar', length: '32', isNullable: false },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('graph_export_checkpoint');
    for (const c of ['read_path', 'phase', 'blobs_done', 'blobs_total', 'bytes_done']) await qr.dropColumn('sync_run', c);
    for (const c of ['graph_base_url', 'graph_token_url', 'usage_api']) await qr.dropColumn('account', c);
  }
}
