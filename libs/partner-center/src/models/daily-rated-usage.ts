/** Daily rated usage line item, billed and unbilled (partner-center-api.md §5.1–5.3). */
import { z } from 'zod';
import { decimalString, id, isoDateTime, objectType, text } from './common';

/**
 * Keys whose JSON numbers are money/quantities and must be parsed exactly (exact-json.ts).
 * Every key listed here is validated as a decimal string below.
 */
export const DAILY_RATED_USAGE_DECIMAL_KEYS = [
  'unitPrice',
  'quantity',
  'billingPreTaxTotal',
  'pricingPreTaxTotal',
  'pcToBCExchangeRate',
  'effectiveUnitPrice',
  'rateOfPartnerEarnedCredit',
  'rateOfCredit',
] as const;

const currency = z.string().regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 currency code');

export const dailyRatedUsageLineItemSchema = z.object({
  partnerId: id,
  partnerName: text,
  /** May be `""` in Microsoft's own samples. */
  customerId: text,
  customerName: text,
  customerDomainName: text,
  customerCountry: text,
  /** `""` while unbilled. */
  invoiceNumber: text,
  mpnId: text,
  resellerMpnId: text,
  productId: id,
  skuId: text,
  availabilityId: text,
  skuName: text,
  productName: text,
  publisherName: text,
  publisherId: text,
  /** The Azure plan id. */
  subscriptionId: id,
  subscriptionDescription: text,
  chargeStartDate: isoDateTime,
  chargeEndDate: isoDateTime,
  usageDate: isoDateTime,
  meterType: text,
  meterCategory: text,
  meterId: id,
  meterSubCategory: text,
  meterName: text,
  meterRegion: text,
  unitOfMeasure: text,
  resourceLocation: text,
  consumedService: text,
  resourceGroup: text,
  resourceUri: text,
  /** JSON text inside a string, often `""`; kept as text. */
  tags: text,
  /** JSON text inside a string, often `""`; kept as text. */
  additionalInfo: text,
  serviceInfo1: text,
  serviceInfo2: text,
  /** `new` (purchase) or `cancel` (refund). */
  chargeType: id,
  unitPrice: decimalString,
  quantity: decimalString,
  unitType: text,
  /** In `billingCurrency`. */
  billingPreTaxTotal: decimalString,
  billingCurrency: currency,
  /** In `pricingCurrency`. */
  pricingPreTaxTotal: decimalString,
  pricingCurrency: currency,
  /** The Azure subscription GUID. */
  entitlementId: id,
  entitlementDescription: text,
  /** Converts pricing → billing currency; fixed per month. */
  pcToBCExchangeRate: decimalString,
  pcToBCExchangeRateDate: isoDateTime,
  effectiveUnitPrice: decimalString,
  /** Fraction 0–1; null/absent when not reported. */
  rateOfPartnerEarnedCredit: decimalString.nullish().transform((v) => v ?? null),
  /** Fraction 0–1; null/absent when not reported. */
  rateOfCredit: decimalString.nullish().transform((v) => v ?? null),
  /** `Credit Not Applied`, `Azure Credit Applied`, `Partner Earned Credit Applied`. */
  creditType: text,
  hasPartnerEarnedCredit: z.boolean().nullish().transform((v) => v ?? null),
  benefitOrderId: text,
  benefitId: text,
  benefitType: text,
  invoiceLineItemType: text,
  billingProvider: text,
  attributes: objectType('DailyRatedUsageLineItem'),
});
export type DailyRatedUsageLineItem = z.infer<typeof dailyRatedUsageLineItemSchema>;
