import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A user's subscription to a saved view's scheduled report (docs/decisions/0021-scheduled-reports.md). */
@Entity({ name: 'report_subscription' })
@Index('ux_report_subscription_view_user', ['viewId', 'userId'], { unique: true })
@Index('ix_report_subscription_user', ['userId'])
export class ReportSubscriptionEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'view_id', type: 'varchar', length: 64 })
  viewId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** daily | weekly | monthly */
  @Column({ type: 'varchar', length: 16 })
  frequency: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}

/**
 * One report of one subscription for one period. The UNIQUE (subscription, period) key is the claim:
 * whoever inserts it sends the e-mail, so two workers, or a restart, never send a period twice.
 */
@Entity({ name: 'report_delivery' })
@Index('ux_report_delivery_subscription_period', ['subscriptionId', 'period'], { unique: true })
export class ReportDeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'subscription_id', type: 'varchar', length: 64 })
  subscriptionId: string;

  /** The period key ('2026-11-24', '2026-W48', '2026-11'). */
  @Column({ type: 'varchar', length: 16 })
  period: string;

  /** sending (claimed) | sent | failed (every attempt failed; the next run may claim it again) */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ type: 'integer', nullable: true })
  rows: number | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'claimed_at', type: 'varchar', length: 32 })
  claimedAt: string;

  @Column({ name: 'sent_at', type: 'varchar', length: 32, nullable: true })
  sentAt: string | null;
}
