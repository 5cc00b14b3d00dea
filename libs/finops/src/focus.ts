import { normalizeDecimal, toDecimal } from './decimal';

/**
 * FOCUS (FinOps Open Cost and Usage Specification) Cost and Usage dataset, as Meridian exports it.
 * Column definitions transcribed from the specification's own column files (FinOps Foundation,
 * FOCUS_Spec, specification/datasets/cost_and_usage/columns/*.md); docs/focus-mapping.md says where
 * each value comes from and docs/decisions/0019-focus-export.md which text of the spec was used.
 */
export const FOCUS_VERSION = '1.4';

export type FocusFeatureLevel = 'Mandatory' | 'Conditional' | 'Recommended';
export type FocusDataType = 'String' | 'Decimal' | 'DateTime' | 'JSON';

export interface FocusColumn {
  /** Column ID, as the spec spells it (custom columns start with x_). */
  name: string;
  featureLevel: FocusFeatureLevel | 'Custom';
  dataType: FocusDataType;
  /** The spec's "Allows nulls". */
  nullable: boolean;
  allowedValues?: readonly string[];
}

export const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const;
export const CHARGE_CLASSES = ['Correction'] as const;
export const CHARGE_FREQUENCIES = ['One-Time', 'Recurring', 'Usage-Based'] as const;
export const PRICING_CATEGORIES = ['Standard', 'Dynamic', 'Committed', 'Other'] as const;
export const SERVICE_CATEGORIES = [
  'AI and Machine Learning', 'Analytics', 'Business Applications', 'Compute', 'Databases', 'Developer Tools', 'Multicloud', 'Identity',
  'Integration', 'Internet of Things', 'Management and Governance', 'Media', 'Migration', 'Mobile', 'Networking', 'Security', 'Storage', 'Web', 'Other',
] as const;

const col = (name: string, featureLevel: FocusColumn['featureLevel'], dataType: FocusDataType, nullable: boolean, allowedValues?: readonly string[]): FocusColumn =>
  allowedValues ? { name, featureLevel, dataType, nullable, allowedValues } : { name, featureLevel, dataType, nullable };

/**
 * The columns of the export, in order: the spec's columns first (alphabetical, as the spec lists
 * them), then the x_ columns (the spec requires custom columns after the FOCUS ones). Conditional
 * columns appear only where Meridian has the data; see docs/focus-mapping.md for those left out.
 */
export const FOCUS_COLUMNS: readonly FocusColumn[] = [
  col('BilledCost', 'Mandatory', 'Decimal', false),
  col('BillingAccountId', 'Mandatory', 'String', false),
  col('BillingAccountName', 'Mandatory', 'String', true),
  col('BillingAccountType', 'Conditional', 'String', false),
  col('BillingCurrency', 'Mandatory', 'String', false),
  col('BillingPeriodEnd', 'Mandatory', 'DateTime', false),
  col('BillingPeriodStart', 'Mandatory', 'DateTime', false),
  col('ChargeCategory', 'Mandatory', 'String', false, CHARGE_CATEGORIES),
  col('ChargeClass', 'Mandatory', 'String', true, CHARGE_CLASSES),
  col('ChargeDescription', 'Mandatory', 'String', true),
  col('ChargeFrequency', 'Recommended', 'String', false, CHARGE_FREQUENCIES),
  col('ChargePeriodEnd', 'Mandatory', 'DateTime', false),
  col('ChargePeriodStart', 'Mandatory', 'DateTime', false),
  col('ConsumedQuantity', 'Conditional', 'Decimal', true),
  col('ConsumedUnit', 'Conditional', 'String', true),
  col('ContractedCost', 'Mandatory', 'Decimal', false),
  col('EffectiveCost', 'Mandatory', 'Decimal', false),
  col('HostProviderName', 'Mandatory', 'String', true),
  col('InvoiceDetailId', 'Conditional', 'String', true),
  col('InvoiceId', 'Conditional', 'String', true),
  col('InvoiceIssuerName', 'Mandatory', 'String', false),
  col('ListCost', 'Mandatory', 'Decimal', false),
  col('ListUnitPrice', 'Conditional', 'Decimal', true),
  col('PricingCategory', 'Conditional', 'String', true, PRICING_CATEGORIES),
  col('PricingCurrency', 'Conditional', 'String', false),
  col('PricingCurrencyEffectiveCost', 'Conditional', 'Decimal', false),
  col('PricingCurrencyListUnitPrice', 'Conditional', 'Decimal', true),
  col('PricingQuantity', 'Mandatory', 'Decimal', true),
  col('PricingUnit', 'Mandatory', 'String', true),
  col('RegionId', 'Conditional', 'String', true),
  col('RegionName', 'Conditional', 'String', true),
  col('ResourceId', 'Conditional', 'String', true),
  col('ResourceName', 'Conditional', 'String', true),
  col('ResourceType', 'Conditional', 'String', true),
  col('ServiceCategory', 'Mandatory', 'String', false, SERVICE_CATEGORIES),
  col('ServiceName', 'Mandatory', 'String', false),
  col('ServiceProviderName', 'Mandatory', 'String', false),
  col('SkuId', 'Conditional', 'String', true),
  col('SkuMeter', 'Conditional', 'String', true),
  col('SkuPriceDetails', 'Conditional', 'JSON', true),
  col('SkuPriceId', 'Conditional', 'String', true),
  col('SubAccountId', 'Conditional', 'String', true),
  col('SubAccountName', 'Conditional', 'String', true),
  col('SubAccountType', 'Conditional', 'String', true),
  col('Tags', 'Conditional', 'JSON', true),
  col('x_Cloud', 'Custom', 'String', false),
  col('x_PartnerTenantId', 'Custom', 'String', false),
  col('x_CustomerId', 'Custom', 'String', true),
  col('x_CustomerName', 'Custom', 'String', true),
  col('x_EntitlementId', 'Custom', 'String', true),
  col('x_EntitlementDescription', 'Custom', 'String', true),
  col('x_AzurePlanId', 'Custom', 'String', true),
  col('x_ResourceGroup', 'Custom', 'String', true),
  col('x_MeterSubcategory', 'Custom', 'String', true),
  col('x_PartnerCenterChargeType', 'Custom', 'String', false),
  col('x_CreditType', 'Custom', 'String', false),
  col('x_PartnerEarnedCreditRate', 'Custom', 'Decimal', false),
  col('x_PricingToBillingExchangeRate', 'Custom', 'Decimal', false),
  col('x_PricingToBillingExchangeRateDate', 'Custom', 'DateTime', false),
  col('x_Source', 'Custom', 'String', false, ['billed', 'unbilled', 'estimated']),
];

/** One cost line item with its account, as the store reads it for the export (amounts as exact decimal text). */
export interface FocusSourceRow {
  accountId: string;
  accountName: string;
  partnerTenantId: string;
  cloud: string;
  naturalKey: string;
  customerId: string;
  customerName: string;
  planId: string;
  subscriptionId: string;
  subscriptionName: string;
  serviceName: string;
  serviceCategory: string;
  regionId: string;
  regionName: string;
  resourceId: string;
  resourceGroup: string;
  meterId: string;
  meterName: string;
  meterSubcategory: string;
  chargeCategory: string;
  chargeType: string;
  day: string;
  billingPeriodStart: string;
  invoiceId: string | null;
  quantity: string;
  unit: string;
  unitPrice: string;
  billedCost: string;
  billingCurrency: string;
  effectiveCost: string;
  listCost: string | null;
  pricingCost: string;
  pricingCurrency: string;
  exchangeRate: string;
  exchangeRateDate: string;
  pecRate: string;
  tags: string;
  source: string;
  /**
   * Seen through a customer-scoped grant: the reseller or customer sees list prices, never the
   * partner's cost (DESIGN §5), so every cost column carries the list cost and the partner-only
   * columns (PEC rate, pricing-currency cost) are withheld.
   */
  customerView: boolean;
}

/** A FOCUS cell: text (decimals as exact decimal text, dates as ISO 8601 UTC) or null. */
export type FocusCell = string | null;

const MICROSOFT = 'Microsoft';

/** 'YYYY-MM-DD' → 'YYYY-MM-DDT00:00:00Z' (FOCUS DateTime: ISO 8601, UTC). */
export function focusDateTime(day: string): string {
  return `${day}T00:00:00Z`;
}

/** The day after a 'YYYY-MM-DD' day (UTC calendar). */
export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The first day of the month after the one `day` falls in. */
export function nextMonthStart(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

const empty = (v: string | null | undefined): FocusCell => (v === null || v === undefined || v === '' ? null : v);

/** Azure's resource name is the last segment of its resource id. */
/**
 * The Azure resource type of an ARM resource id (`…/providers/Microsoft.Compute/virtualMachines/vm1`
 * → `Microsoft.Compute/virtualMachines`, child types included), null for anything else.
 */
export function resourceTypeOf(resourceId: string): FocusCell {
  const parts = resourceId.split('/').filter(Boolean);
  const at = parts.findIndex((p) => p.toLowerCase() === 'providers');
  if (at < 0 || parts.length < at + 4) return null;
  const [namespace, ...rest] = parts.slice(at + 1);
  // rest alternates type, name, child type, child name, …
  const types = rest.filter((_, i) => i % 2 === 0 && i + 1 < rest.length);
  return `${namespace}/${types.join('/')}`;
}

function resourceNameOf(resourceId: string): FocusCell {
  const last = resourceId.split('/').filter(Boolean).pop();
  return empty(last);
}

/** Partner Center's creditType for a PEC-bearing line; the store keeps the rate, from which this follows. */
export function creditTypeOf(pecRate: string): string {
  return toDecimal(pecRate).isZero() ? 'Credit Not Applied' : 'Partner Earned Credit Applied';
}

/**
 * A billed line's id within its invoice: its natural key (the hash of the invoice line's identity,
 * docs/decisions/0002) in hex, so no id starts with a character a spreadsheet takes for a formula.
 */
export function invoiceDetailIdOf(naturalKey: string): string {
  return Buffer.from(naturalKey, 'base64url').toString('hex');
}

function product(a: string, b: string): string {
  return normalizeDecimal(toDecimal(a).times(toDecimal(b)));
}

/** Maps one line item to the cells of FOCUS_COLUMNS, in order. Pure; no rounding anywhere. */
export function focusRowOf(r: FocusSourceRow): FocusCell[] {
  const listCost = normalizeDecimal(r.listCost ?? r.billedCost);
  const partner = !r.customerView;
  // Customer views: every cost is the list cost (what the customer is charged at list price).
  const billed = partner ? normalizeDecimal(r.billedCost) : listCost;
  const effective = partner ? normalizeDecimal(r.effectiveCost) : listCost;
  const hasSku = r.meterId !== '';
  const usageLike = r.chargeCategory === 'Usage' || r.chargeCategory === 'Purchase';
  const cells: Record<string, FocusCell> = {
    BilledCost: billed,
    BillingAccountId: r.accountId,
    BillingAccountName: empty(r.accountName),
    BillingAccountType: 'Partner Center CSP account',
    BillingCurrency: r.billingCurrency,
    BillingPeriodEnd: focusDateTime(nextMonthStart(r.billingPeriodStart)),
    BillingPeriodStart: focusDateTime(r.billingPeriodStart),
    ChargeCategory: r.chargeCategory,
    // Partner Center has no corrections to closed periods in the daily rated usage Meridian reads.
    ChargeClass: null,
    ChargeDescription: empty([r.serviceName, r.meterSubcategory, r.meterName].filter(Boolean).join(' / ')),
    ChargeFrequency: r.chargeCategory === 'Usage' ? 'Usage-Based' : 'One-Time',
    ChargePeriodEnd: focusDateTime(nextDay(r.day)),
    ChargePeriodStart: focusDateTime(r.day),
    ConsumedQuantity: r.chargeCategory === 'Usage' ? normalizeDecimal(r.quantity) : null,
    ConsumedUnit: r.chargeCategory === 'Usage' ? empty(r.unit) : null,
    // No negotiated pricing: the partner's unit price is Microsoft's partner price list, and PEC is an
    // earned credit, not a contracted price, so ContractedCost equals ListCost as the spec requires.
    ContractedCost: listCost,
    EffectiveCost: effective,
    HostProviderName: MICROSOFT,
    InvoiceDetailId: r.invoiceId ? invoiceDetailIdOf(r.naturalKey) : null,
    InvoiceId: empty(r.invoiceId),
    InvoiceIssuerName: MICROSOFT,
    ListCost: listCost,
    ListUnitPrice: hasSku && usageLike ? product(r.unitPrice, r.exchangeRate) : null,
    PricingCategory: hasSku && usageLike ? 'Standard' : null,
    PricingCurrency: r.pricingCurrency,
    // Customer views: the pricing-currency form of the list cost they see (quantity × unit price;
    // the partner's cost where no list cost was stored, as ListCost then shows the billed cost).
    PricingCurrencyEffectiveCost: partner || r.listCost === null || !hasSku ? normalizeDecimal(r.pricingCost) : product(r.quantity, r.unitPrice),
    PricingCurrencyListUnitPrice: hasSku && usageLike ? normalizeDecimal(r.unitPrice) : null,
    PricingQuantity: hasSku && usageLike ? normalizeDecimal(r.quantity) : null,
    PricingUnit: hasSku && usageLike ? empty(r.unit) : null,
    RegionId: empty(r.regionId),
    RegionName: empty(r.regionName),
    ResourceId: empty(r.resourceId),
    ResourceName: resourceNameOf(r.resourceId),
    ResourceType: resourceTypeOf(r.resourceId),
    ServiceCategory: (SERVICE_CATEGORIES as readonly string[]).includes(r.serviceCategory) ? r.serviceCategory : 'Other',
    ServiceName: r.serviceName,
    ServiceProviderName: MICROSOFT,
    SkuId: empty(r.meterId),
    SkuMeter: empty(r.meterName),
    // Partner Center's usage lines carry no SKU price properties beyond the meter's own columns.
    SkuPriceDetails: null,
    SkuPriceId: empty(r.meterId),
    SubAccountId: empty(r.subscriptionId),
    SubAccountName: empty(r.subscriptionName),
    SubAccountType: r.subscriptionId ? 'Azure Subscription' : null,
    Tags: r.tags && r.tags !== '{}' ? r.tags : null,
    x_Cloud: r.cloud,
    x_PartnerTenantId: r.partnerTenantId,
    x_CustomerId: empty(r.customerId),
    x_CustomerName: empty(r.customerName),
    x_EntitlementId: empty(r.subscriptionId),
    x_EntitlementDescription: empty(r.subscriptionName),
    x_AzurePlanId: empty(r.planId),
    x_ResourceGroup: empty(r.resourceGroup),
    x_MeterSubcategory: empty(r.meterSubcategory),
    x_PartnerCenterChargeType: r.chargeType,
    x_CreditType: partner ? creditTypeOf(r.pecRate) : 'Credit Not Applied',
    x_PartnerEarnedCreditRate: partner ? normalizeDecimal(r.pecRate) : '0',
    x_PricingToBillingExchangeRate: normalizeDecimal(r.exchangeRate),
    x_PricingToBillingExchangeRateDate: focusDateTime(r.exchangeRateDate),
    x_Source: r.source,
  };
  return FOCUS_COLUMNS.map((c) => cells[c.name] ?? null);
}

/** One CSV cell: null is an empty cell; quoted where needed; spreadsheet formulas neutralised in text. */
export function focusCsvCell(value: FocusCell): string {
  if (value === null) return '';
  const safe = /^[=+\-@]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * FOCUS metadata (the spec's metadata schema: DataGenerator, FocusVersion, schema with column
 * definitions), shipped beside the data: Parquet key/value metadata, an HTTP header, a JSON file.
 */
export function focusMetadata(creationDate: string): Record<string, unknown> {
  return {
    DataGenerator: { DataGenerator: 'Meridian' },
    Schemas: [
      {
        SchemaId: `meridian-focus-${FOCUS_VERSION}-cost-and-usage`,
        FocusVersion: FOCUS_VERSION,
        CreationDate: creationDate,
        ColumnDefinition: FOCUS_COLUMNS.map((c) => ({
          ColumnName: c.name,
          DataType: c.dataType,
          ...(c.dataType === 'String' ? { StringEncoding: 'UTF-8' } : {}),
          ...(c.name.startsWith('x_') ? {} : { FeatureLevel: c.featureLevel }),
        })),
      },
    ],
  };
}
