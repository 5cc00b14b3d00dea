import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A Partner Center record that failed validation or mapping, kept with its reason (never dropped). */
@Entity({ name: 'quarantined_record' })
export class QuarantinedRecordEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  @Column({ name: 'sync_run_id', type: 'varchar', length: 64 })
  syncRunId: string;

  @Column({ type: 'varchar', length: 32 })
  stream: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text' })
  payload: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
