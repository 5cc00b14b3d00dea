import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An invoice or credit note of one account (partner-center-api.md §6), with what Meridian tracks
 * about it: whether its billed usage has replaced the period's unbilled estimates.
 */
@Entity({ name: 'invoice' })
@Index('ix_invoice_account_period', ['accountId', 'billingPeriodStart'])
export class InvoiceEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'invoice_date', type: 'varchar', length: 10 })
  invoiceDate: string;

  /** YYYY-MM-DD */
  @Column({ name: 'billing_period_start', type: 'varchar', length: 10 })
  billingPeriodStart: string;

  @Column({ name: 'billing_period_end', type: 'varchar', length: 10 })
  billingPeriodEnd: string;

  @Column({ name: 'total_charges', type: 'numeric' })
  totalCharges: string;

  /** As Partner Center sends it (sign varies between docs and samples). */
  @Column({ name: 'paid_amount', type: 'numeric', nullable: true })
  paidAmount: string | null;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  /** Invoice | Credit Note */
  @Column({ name: 'document_type', type: 'varchar', length: 32 })
  documentType: string;

  @Column({ name: 'invoice_type', type: 'varchar', length: 32 })
  invoiceType: string;

  @Column({ name: 'amends_of', type: 'varchar', length: 64, nullable: true })
  amendsOf: string | null;

  /** Not a Partner Center field: the simulator's x-sim-dueDate, when present (YYYY-MM-DD). */
  @Column({ name: 'due_date', type: 'varchar', length: 10, nullable: true })
  dueDate: string | null;

  /** Carries Azure plan daily rated usage to read (§5.2). */
  @Column({ name: 'has_usage', type: 'boolean' })
  hasUsage: boolean;

  /** Checkpoint: when its billed usage replaced the period's unbilled rows (null: not yet). */
  @Column({ name: 'billed_usage_synced_at', type: 'varchar', length: 32, nullable: true })
  billedUsageSyncedAt: string | null;

  /** Checkpoint: when its billing line items (the reconciliation file) were stored. */
  @Column({ name: 'billing_lines_synced_at', type: 'varchar', length: 32, nullable: true })
  billingLinesSyncedAt: string | null;

  @Column({ name: 'billed_usage_rows', type: 'integer', default: 0 })
  billedUsageRows: number;

  @Column({ name: 'x_sync_run_id', type: 'varchar', length: 64 })
  syncRunId: string;
}

/** One billing line item of an invoice (what Microsoft bills), for reconciliation against usage. */
@Entity({ name: 'invoice_line_item' })
export class InvoiceLineItemEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  @PrimaryColumn({ name: 'invoice_id', type: 'varchar', length: 64 })
  invoiceId: string;

  /** alternateId, or a hash of the line when Partner Center sends none. */
  @PrimaryColumn({ name: 'line_key', type: 'varchar', length: 64 })
  lineKey: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 64 })
  customerId: string;

  @Column({ name: 'customer_name', type: 'varchar', length: 300 })
  customerName: string;

  @Column({ name: 'subscription_id', type: 'varchar', length: 64 })
  subscriptionId: string;

  @Column({ name: 'product_name', type: 'varchar', length: 300 })
  productName: string;

  @Column({ name: 'charge_type', type: 'varchar', length: 64 })
  chargeType: string;

  @Column({ type: 'numeric' })
  subtotal: string;

  @Column({ name: 'tax_total', type: 'numeric', nullable: true })
  taxTotal: string | null;

  @Column({ name: 'total_for_customer', type: 'numeric', nullable: true })
  totalForCustomer: string | null;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ name: 'x_sync_run_id', type: 'varchar', length: 64 })
  syncRunId: string;
}
