import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a Graph billing export stands for one account and export key: a killed worker resumes here. */
@Entity({ name: 'graph_export_checkpoint' })
export class GraphExportCheckpointEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  @PrimaryColumn({ name: 'export_key', type: 'varchar', length: 120 })
  exportKey: string;

  @Column({ name: 'operation_url', type: 'text' })
  operationUrl: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  etag: string | null;

  @Column({ name: 'blob_index', type: 'integer' })
  blobIndex: number;

  @Column({ name: 'line_in_blob', type: 'integer' })
  lineInBlob: number;

  /** JSON array of sync run ids. */
  @Column({ name: 'run_ids', type: 'text' })
  runIds: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
