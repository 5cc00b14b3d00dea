import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One meter of an account's Azure rate card (partner-center-api.md §8.1). */
@Entity({ name: 'price' })
export class PriceEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  /** = utilization `resource.id`. */
  @PrimaryColumn({ name: 'meter_id', type: 'varchar', length: 64 })
  meterId: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'varchar', length: 200 })
  category: string;

  @Column({ type: 'varchar', length: 200 })
  subcategory: string;

  @Column({ type: 'varchar', length: 100 })
  region: string;

  @Column({ type: 'varchar', length: 64 })
  unit: string;

  /** JSON object text: threshold → unit price, decimal strings. */
  @Column({ type: 'text' })
  rates: string;

  @Column({ name: 'included_quantity', type: 'numeric' })
  includedQuantity: string;

  @Column({ name: 'effective_date', type: 'varchar', length: 32 })
  effectiveDate: string;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ name: 'synced_at', type: 'varchar', length: 32 })
  syncedAt: string;

  @Column({ name: 'x_sync_run_id', type: 'varchar', length: 64 })
  syncRunId: string;
}
