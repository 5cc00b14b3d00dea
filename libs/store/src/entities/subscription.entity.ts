import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * CSP subscriptions and, for an Azure plan, its Azure subscriptions (entitlements): an entitlement
 * row has kind 'azure_subscription' and parent_id = the plan's subscription id.
 */
@Entity({ name: 'subscription' })
export class SubscriptionEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 64 })
  customerId: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 64, nullable: true })
  parentId: string | null;

  /** azure_plan | azure_subscription | legacy_azure | license */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ name: 'offer_id', type: 'varchar', length: 100, nullable: true })
  offerId: string | null;

  @Column({ name: 'friendly_name', type: 'varchar', length: 300 })
  friendlyName: string;

  @Column({ type: 'varchar', length: 32 })
  status: string;

  @Column({ name: 'x_sync_run_id', type: 'varchar', length: 64 })
  syncRunId: string;
}
