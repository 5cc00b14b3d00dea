import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One organisation-wide setting (e.g. the reporting currency), its value as JSON text. */
@Entity({ name: 'org_setting' })
export class OrgSettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;

  @Column({ name: 'updated_by', type: 'varchar', length: 64, nullable: true })
  updatedBy: string | null;
}
