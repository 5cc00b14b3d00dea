/**
 * Line serialisers of the Graph billing export (partner-center-api.md §5.5): the same usage items
 * and billing line items as v1, written as JSON lines with PascalCase field names. Numbers are the
 * raw exact decimal tokens v1 writes (never re-parsed through a double).
 */
import { MALFORMED_VARIANTS } from './faults';
import type { AccountModel, Slot } from './profile';
import type { UsageItem } from './usage';
import { decStr } from './money';

/** The `full` attribute set, in the order §5.5 lists it (55 fields). */
export const USAGE_FULL_FIELDS = [
  'PartnerId', 'PartnerName', 'CustomerId', 'CustomerName', 'CustomerDomainName', 'CustomerCountry', 'MpnId', 'Tier2MpnId',
  'InvoiceNumber', 'ProductId', 'SkuId', 'AvailabilityId', 'SkuName', 'ProductName', 'PublisherName', 'PublisherId',
  'SubscriptionDescription', 'SubscriptionId', 'ChargeStartDate', 'ChargeEndDate', 'UsageDate', 'MeterType', 'MeterCategory',
  'MeterId', 'MeterSubCategory', 'MeterName', 'MeterRegion', 'Unit', 'ResourceLocation', 'ConsumedService', 'ResourceGroup',
  'ResourceURI', 'ChargeType', 'UnitPrice', 'Quantity', 'UnitType', 'BillingPreTaxTotal', 'BillingCurrency', 'PricingPreTaxTotal',
  'PricingCurrency', 'ServiceInfo1', 'ServiceInfo2', 'Tags', 'AdditionalInfo', 'EffectiveUnitPrice', 'PCToBCExchangeRate',
  'PCToBCExchangeRateDate', 'EntitlementId', 'EntitlementDescription', 'PartnerEarnedCreditPercentage', 'CreditPercentage',
  'CreditType', 'BenefitOrderId', 'BenefitId', 'BenefitType',
] as const;

/** The `basic` subset (the fields §5.5 marks with `*`). */
export const USAGE_BASIC_FIELDS = [
  'PartnerId', 'PartnerName', 'CustomerId', 'CustomerName', 'InvoiceNumber', 'ProductId', 'SkuId', 'SkuName', 'PublisherName',
  'SubscriptionId', 'ChargeStartDate', 'ChargeEndDate', 'UsageDate', 'ResourceURI', 'ChargeType', 'UnitPrice', 'Quantity',
  'UnitType', 'BillingPreTaxTotal', 'BillingCurrency', 'PricingPreTaxTotal', 'PricingCurrency', 'AdditionalInfo',
  'EffectiveUnitPrice', 'PCToBCExchangeRate', 'EntitlementId', 'CreditPercentage', 'CreditType', 'BenefitOrderId', 'BenefitType',
] as const;

/** Reconciliation (billing line item) columns: §6 new commerce in PascalCase, as §5.5 lists them. */
export const RECON_FIELDS = [
  'PartnerId', 'CustomerId', 'CustomerName', 'CustomerDomainName', 'CustomerCountry', 'InvoiceNumber', 'MpnId', 'ResellerMpnId',
  'OrderId', 'OrderDate', 'ProductId', 'SkuId', 'AvailabilityId', 'SkuName', 'ProductName', 'ChargeType', 'UnitPrice', 'Quantity',
  'Subtotal', 'TaxTotal', 'Total', 'Currency', 'PriceAdjustmentDescription', 'PublisherName', 'PublisherId', 'SubscriptionDescription',
  'SubscriptionId', 'ChargeStartDate', 'ChargeEndDate', 'TermAndBillingCycle', 'EffectiveUnitPrice', 'UnitType', 'AlternateId',
  'BillableQuantity', 'BillingFrequency', 'PricingCurrency', 'PCToBCExchangeRate', 'PCToBCExchangeRateDate', 'MeterDescription',
  'ReservationOrderId', 'CreditReasonCode', 'SubscriptionStartDate', 'SubscriptionEndDate', 'ReferenceId', 'ProductQualifiers',
  'PromotionId', 'ProductCategory',
] as const;

export type AttributeSet = 'full' | 'basic';

const str = (s: string): string => JSON.stringify(s);

/** Per-slot constant tokens (the slot's part of a line never changes), built once per slot. */
const slotTokens = new WeakMap<Slot, Record<string, string>>();

function constantTokens(acct: AccountModel, s: Slot): Record<string, string> {
  let t = slotTokens.get(s);
  if (t) return t;
  const c = s.ent.customer;
  const m = s.meter;
  const pec = s.ent.pecRate !== '0';
  t = {
    PartnerId: str(acct.tenantId), PartnerName: str(acct.def.name), CustomerId: str(c.id), CustomerName: str(c.companyName),
    CustomerDomainName: str(c.domain), CustomerCountry: str(c.country.country), MpnId: str(acct.mpnId), Tier2MpnId: '""',
    ProductId: '"DZH318Z0BCZC"', SkuId: '"0001"', AvailabilityId: '"DZH318Z0BXWC"', SkuName: '"Azure plan"', ProductName: '"Azure plan"',
    PublisherName: '"Microsoft"', PublisherId: '""', SubscriptionDescription: '"Azure plan"', SubscriptionId: str(c.plan.id),
    MeterType: str(m.meterType), MeterCategory: str(m.meterCategory), MeterId: str(s.meterId), MeterSubCategory: str(m.meterSubCategory),
    MeterName: str(m.meterName), MeterRegion: str(s.meterRegion), Unit: str(m.unit), ResourceLocation: str(s.resource.region.name),
    ConsumedService: str(s.resource.type.consumedService), ResourceGroup: str(s.resource.resourceGroup), ResourceURI: str(s.resource.uri),
    UnitPrice: decStr(s.unitPrice), UnitType: str(m.unit), BillingCurrency: str(acct.def.currency), PricingCurrency: str(acct.def.pricingCurrency),
    ServiceInfo1: '""', ServiceInfo2: '""', Tags: str(s.resource.tags), AdditionalInfo: str(s.resource.type.additionalInfo?.(m) ?? ''),
    EffectiveUnitPrice: decStr(s.effectiveUnitPrice), EntitlementId: str(s.ent.id), EntitlementDescription: str(s.ent.friendlyName),
    PartnerEarnedCreditPercentage: s.ent.pecRate, CreditPercentage: '0', CreditType: str(pec ? 'Partner Earned Credit Applied' : 'Credit Not Applied'),
    BenefitOrderId: '""', BenefitId: '""', BenefitType: '""',
  };
  slotTokens.set(s, t);
  return t;
}

/** One usage line (no newline). `invoiceId` is "" for unbilled usage. */
export function usageLine(acct: AccountModel, it: UsageItem, invoiceId: string, set: AttributeSet): string {
  const t = constantTokens(acct, it.slot);
  const v: Record<string, string> = {
    ...t,
    InvoiceNumber: str(invoiceId),
    ChargeStartDate: str(it.fx.startIso),
    ChargeEndDate: str(it.fx.endIso),
    UsageDate: str(`${new Date(it.day * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`),
    ChargeType: str(it.chargeType),
    Quantity: decStr(it.quantity),
    BillingPreTaxTotal: decStr(it.billingTotal),
    PricingPreTaxTotal: decStr(it.pricingTotal),
    PCToBCExchangeRate: it.fx.rateStr,
    PCToBCExchangeRateDate: str(it.fx.startIso),
  };
  const fields = set === 'basic' ? USAGE_BASIC_FIELDS : USAGE_FULL_FIELDS;
  let out = '{';
  for (let i = 0; i < fields.length; i++) out += `${i ? ',' : ''}"${fields[i]}":${v[fields[i]]}`;
  return out + '}';
}

/**
 * Breaks a usage line the way v1 breaks the same item (faults.ts `corrupt`), so ground truth's
 * `malformed` holds whichever path a client reads; `quantity-wrong-type` cuts the line short instead
 * (broken JSON, as a half-written export line would be): a JSON-lines reader meets both kinds.
 */
export function corruptLine(line: string, variant: (typeof MALFORMED_VARIANTS)[number]): string {
  switch (variant) {
    case 'amount-not-a-number':
      return line.replace(/"BillingPreTaxTotal":[^,]+/, '"BillingPreTaxTotal":"N/A"');
    case 'missing-usage-date':
      return line.replace(/,"UsageDate":"[^"]*"/, '');
    case 'quantity-wrong-type':
      return line.slice(0, line.indexOf(',"Quantity":') + 12);
  }
}

const RECON_RENAMES: Record<string, string> = { Total: 'totalForCustomer', PCToBCExchangeRate: 'pcToBCExchangeRate', PCToBCExchangeRateDate: 'pcToBCExchangeRateDate' };

/** One reconciliation line from a v1 billing line item object (invoices.ts billingLine). */
export function reconLine(item: Record<string, unknown>): string {
  let out = '{';
  RECON_FIELDS.forEach((f, i) => {
    const v1 = RECON_RENAMES[f] ?? f[0].toLowerCase() + f.slice(1);
    out += `${i ? ',' : ''}"${f}":${JSON.stringify(item[v1] ?? '')}`;
  });
  return out + '}';
}
