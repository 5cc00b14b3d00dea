import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 1 `base` = `rate` `quote` for a month (DESIGN §6). Rates of closed months are locked. */
@Entity({ name: 'fx_rate' })
export class FxRateEntity {
  @PrimaryColumn({ type: 'varchar', length: 3 })
  base: string;

  @PrimaryColumn({ type: 'varchar', length: 3 })
  quote: string;

  /** YYYY-MM */
  @PrimaryColumn({ type: 'varchar', length: 7 })
  period: string;

  @Column({ type: 'numeric' })
  rate: string;

  /** manual | ecb-csv | … */
  @Column({ type: 'varchar', length: 32 })
  source: string;

  @Column({ type: 'boolean' })
  locked: boolean;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;

  @Column({ name: 'updated_by', type: 'varchar', length: 64, nullable: true })
  updatedBy: string | null;
}
