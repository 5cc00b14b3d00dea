import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The unified cost table, FOCUS-aligned (DESIGN §4): FOCUS column names in snake_case, `x_` columns
 * for what FOCUS lacks. This file is the one mapping between FOCUS names and SQL columns.
 *
 * Amounts are exact decimals: `numeric` on PostgreSQL, TEXT on SQLite (SQLite's NUMERIC affinity
 * would turn them into binary floats). Days are 'YYYY-MM-DD' strings on both, so range filters
 * compare the same way everywhere.
 *
 * Primary key = (billing_account_id, x_natural_key): the natural key of a daily rated usage line
 * (partner-center-api.md §5.3) hashed to a fixed-width string, so re-syncs upsert instead of
 * duplicating and the unique index stays small (docs/decisions/0002-cost-natural-key.md).
 */
@Entity({ name: 'cost_line_item' })
@Index('ix_cost_account_day', ['billingAccountId', 'chargePeriodStart'])
@Index('ix_cost_day', ['chargePeriodStart'])
@Index('ix_cost_account_period_source', ['billingAccountId', 'billingPeriodStart', 'xSource'])
export class CostLineItemEntity {
  /** FOCUS BillingAccountId = Meridian's Partner Center account id. */
  @PrimaryColumn({ name: 'billing_account_id', type: 'varchar', length: 64 })
  billingAccountId: string;

  @PrimaryColumn({ name: 'x_natural_key', type: 'varchar', length: 64 })
  xNaturalKey: string;

  @Column({ name: 'x_cloud', type: 'varchar', length: 16 })
  xCloud: string;

  @Column({ name: 'x_customer_id', type: 'varchar', length: 64 })
  xCustomerId: string;

  @Column({ name: 'x_customer_name', type: 'varchar', length: 300 })
  xCustomerName: string;

  /** The CSP subscription (Azure plan) the usage belongs to. */
  @Column({ name: 'x_plan_id', type: 'varchar', length: 64 })
  xPlanId: string;

  /** FOCUS SubAccountId = the Azure subscription (entitlement). */
  @Column({ name: 'sub_account_id', type: 'varchar', length: 64 })
  subAccountId: string;

  @Column({ name: 'sub_account_name', type: 'varchar', length: 300 })
  subAccountName: string;

  /** Meter category, e.g. "Virtual Machines". */
  @Column({ name: 'service_name', type: 'varchar', length: 200 })
  serviceName: string;

  @Column({ name: 'service_category', type: 'varchar', length: 64 })
  serviceCategory: string;

  /** Normalised resource location, e.g. "westeurope". */
  @Column({ name: 'region_id', type: 'varchar', length: 64 })
  regionId: string;

  /** Meter region as Partner Center names it, e.g. "EU West". */
  @Column({ name: 'region_name', type: 'varchar', length: 100 })
  regionName: string;

  @Column({ name: 'resource_id', type: 'text' })
  resourceId: string;

  @Column({ name: 'x_resource_group', type: 'varchar', length: 200 })
  xResourceGroup: string;

  @Column({ name: 'x_meter_id', type: 'varchar', length: 64 })
  xMeterId: string;

  @Column({ name: 'x_meter_name', type: 'varchar', length: 200 })
  xMeterName: string;

  @Column({ name: 'x_meter_subcategory', type: 'varchar', length: 200 })
  xMeterSubcategory: string;

  /** FOCUS ChargeCategory: Usage | Purchase | Credit | Adjustment | Tax. */
  @Column({ name: 'charge_category', type: 'varchar', length: 16 })
  chargeCategory: string;

  /** Partner Center chargeType: new | cancel. */
  @Column({ name: 'x_charge_type', type: 'varchar', length: 32 })
  xChargeType: string;

  /** Usage day, YYYY-MM-DD (UTC). */
  @Column({ name: 'charge_period_start', type: 'varchar', length: 10 })
  chargePeriodStart: string;

  /** First day of the billing period, YYYY-MM-DD. */
  @Column({ name: 'billing_period_start', type: 'varchar', length: 10 })
  billingPeriodStart: string;

  @Column({ name: 'invoice_id', type: 'varchar', length: 64, nullable: true })
  invoiceId: string | null;

  @Column({ name: 'consumed_quantity', type: 'numeric' })
  consumedQuantity: string;

  @Column({ name: 'consumed_unit', type: 'varchar', length: 64 })
  consumedUnit: string;

  @Column({ name: 'x_unit_price', type: 'numeric' })
  xUnitPrice: string;

  @Column({ name: 'x_effective_unit_price', type: 'numeric' })
  xEffectiveUnitPrice: string;

  @Column({ name: 'billed_cost', type: 'numeric' })
  billedCost: string;

  @Column({ name: 'billing_currency', type: 'varchar', length: 3 })
  billingCurrency: string;

  /** Partner Center billingPreTaxTotal is already net of Partner Earned Credit. */
  @Column({ name: 'effective_cost', type: 'numeric' })
  effectiveCost: string;

  /** Usage at list price in the billing currency: what a customer-scoped user sees. */
  @Column({ name: 'x_list_cost', type: 'numeric', nullable: true })
  xListCost: string | null;

  @Column({ name: 'x_pricing_cost', type: 'numeric' })
  xPricingCost: string;

  @Column({ name: 'pricing_currency', type: 'varchar', length: 3 })
  pricingCurrency: string;

  @Column({ name: 'x_exchange_rate', type: 'numeric' })
  xExchangeRate: string;

  @Column({ name: 'x_exchange_rate_date', type: 'varchar', length: 10 })
  xExchangeRateDate: string;

  @Column({ name: 'x_partner_earned_credit_rate', type: 'numeric' })
  xPartnerEarnedCreditRate: string;

  /** Resource tags as a JSON object text ("{}" when none). */
  @Column({ type: 'text' })
  tags: string;

  /** unbilled | billed */
  @Column({ name: 'x_source', type: 'varchar', length: 16 })
  xSource: string;

  @Column({ name: 'x_sync_run_id', type: 'varchar', length: 64 })
  xSyncRunId: string;

  @Column({ name: 'x_ingested_at', type: 'varchar', length: 32 })
  xIngestedAt: string;
}

/** A cost row as the sync writes it: every column of the table. */
export type CostRow = { [K in keyof CostLineItemEntity]: CostLineItemEntity[K] };
