import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A named dashboard page + URL query, private or shared (docs/decisions/0012-saved-views.md). */
@Entity({ name: 'saved_view' })
@Index('ix_saved_view_owner', ['ownerId'])
export class SavedViewEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 64 })
  ownerId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  path: string;

  @Column({ type: 'text' })
  query: string;

  @Column({ type: 'boolean' })
  shared: boolean;

  /** JSON array of the account ids the view concerns; null = every account. */
  @Column({ name: 'account_ids', type: 'text', nullable: true })
  accountIds: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
