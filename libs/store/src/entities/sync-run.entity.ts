import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One run of one stream for one account: drives freshness, status and progress. */
@Entity({ name: 'sync_run' })
@Index('ix_sync_run_account_started', ['accountId', 'startedAt'])
export class SyncRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  @Column({ type: 'varchar', length: 32 })
  stream: string;

  /** queued | running | succeeded | failed */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'window_from', type: 'varchar', length: 10, nullable: true })
  windowFrom: string | null;

  @Column({ name: 'window_to', type: 'varchar', length: 10, nullable: true })
  windowTo: string | null;

  @Column({ type: 'integer', default: 0 })
  pages: number;

  @Column({ type: 'integer', default: 0 })
  rows: number;

  @Column({ type: 'integer', default: 0 })
  quarantined: number;

  /** Units of work done / to do when a run can count them (invoices of a backfill): drives the ETA. */
  @Column({ name: 'units_done', type: 'integer', nullable: true })
  unitsDone?: number | null;

  @Column({ name: 'units_total', type: 'integer', nullable: true })
  unitsTotal?: number | null;

  /** graph | v1 | both: which Partner Center read the run used for usage and reconciliation. */
  @Column({ name: 'read_path', type: 'varchar', length: 8, nullable: true })
  readPath?: string | null;

  /** What a long run waits for or does now, e.g. "waiting for Microsoft to prepare the export". */
  @Column({ type: 'varchar', length: 200, nullable: true })
  phase?: string | null;

  @Column({ name: 'blobs_done', type: 'integer', nullable: true })
  blobsDone?: number | null;

  @Column({ name: 'blobs_total', type: 'integer', nullable: true })
  blobsTotal?: number | null;

  /** Compressed bytes downloaded (Graph export blobs). */
  @Column({ name: 'bytes_done', type: 'bigint', nullable: true, transformer: { to: (v?: number | null) => v, from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)) } })
  bytesDone?: number | null;

  @Column({ name: 'started_at', type: 'varchar', length: 32, nullable: true })
  startedAt: string | null;

  @Column({ name: 'finished_at', type: 'varchar', length: 32, nullable: true })
  finishedAt: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
