/** Daily rated usage line item, billed and unbilled (partner-center-api.md §5.1–5.3). */
import { z } from 'zod';
import { CANONICAL_DECIMAL, DECIMAL_TEXT, decimalString, id, ISO_DATE_TIME, isoDateTime, normalizeDecimalText, objectType, text, type DecimalString } from './common';
import { registerFastAccept } from './page';

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

export const CURRENCY_CODE = /^[A-Za-z]{3}$/;
const currency = z.string().regex(CURRENCY_CODE, 'expected an ISO 4217 currency code');

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

/*
 * Fast path for validating a daily rated usage line item (the hot loop of every usage sync: up to
 * millions of items a run). The zod schema above stays the definition; this
 * check only *accepts*: it returns exactly what `dailyRatedUsageLineItemSchema.parse` would return,
 * or `undefined` when anything is unusual, in which case the caller runs the zod schema, which
 * decides (and words the reasons of) every rejection. So the accept/reject decisions and the
 * reasons are the zod schema's by construction; the fast path must only never accept what zod
 * rejects, nor return a different value (proven in daily-rated-usage.fast.spec.ts).
 */

const OBJECT_TYPE = 'DailyRatedUsageLineItem';

/**
 * Set by the field checks below when a value is anything but the plain valid case; the item then
 * goes to zod. (A flag rather than a sentinel value keeps the output one object literal: every
 * accepted item gets the same hidden class, as zod's own output does.)
 */
let unsure = false;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `id`: non-empty string. */
function idOf(v: unknown): string {
  if (typeof v === 'string' && v.length > 0) return v;
  unsure = true;
  return '';
}

/** `text`: a string; null/absent → ''. */
function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v !== null && v !== undefined) unsure = true;
  return '';
}

/** `isoDateTime`. */
function dateTimeOf(v: unknown): string {
  if (typeof v === 'string' && ISO_DATE_TIME.test(v)) return v;
  unsure = true;
  return '';
}

/** `decimalString`: trimmed, DECIMAL_TEXT, normalised by the same function as the zod transform. */
function decimalOf(v: unknown): DecimalString {
  if (typeof v === 'string') {
    // The common case: canonical text, kept as it is (what normalizeDecimalText does too).
    if (CANONICAL_DECIMAL.test(v) && v !== '-0') return v as DecimalString;
    const t = v.trim();
    if (DECIMAL_TEXT.test(t)) return normalizeDecimalText(t) as DecimalString;
  }
  unsure = true;
  return '' as DecimalString;
}

/** `decimalString.nullish()` → null. */
function optionalDecimalOf(v: unknown): DecimalString | null {
  return v === null || v === undefined ? null : decimalOf(v);
}

/** ISO 4217 code. */
function currencyOf(v: unknown): string {
  if (typeof v === 'string' && CURRENCY_CODE.test(v)) return v;
  unsure = true;
  return '';
}

/** `z.boolean().nullish()` → null. */
function optionalBooleanOf(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v !== null && v !== undefined) unsure = true;
  return null;
}

/**
 * The validated item exactly as `dailyRatedUsageLineItemSchema.parse(record)` returns it (same
 * values, same keys in the same order), or `undefined` when this fast path cannot tell (the record
 * may still be valid: ask zod). The compiler checks the literal against the schema's output type;
 * the spec checks keys, order and values against zod.
 */
export function fastDailyRatedUsageLineItem(record: unknown): DailyRatedUsageLineItem | undefined {
  if (!isPlainObject(record)) return undefined;
  const r = record;
  unsure = false;
  const out: DailyRatedUsageLineItem = {
    partnerId: idOf(r.partnerId),
    partnerName: textOf(r.partnerName),
    customerId: textOf(r.customerId),
    customerName: textOf(r.customerName),
    customerDomainName: textOf(r.customerDomainName),
    customerCountry: textOf(r.customerCountry),
    invoiceNumber: textOf(r.invoiceNumber),
    mpnId: textOf(r.mpnId),
    resellerMpnId: textOf(r.resellerMpnId),
    productId: idOf(r.productId),
    skuId: textOf(r.skuId),
    availabilityId: textOf(r.availabilityId),
    skuName: textOf(r.skuName),
    productName: textOf(r.productName),
    publisherName: textOf(r.publisherName),
    publisherId: textOf(r.publisherId),
    subscriptionId: idOf(r.subscriptionId),
    subscriptionDescription: textOf(r.subscriptionDescription),
    chargeStartDate: dateTimeOf(r.chargeStartDate),
    chargeEndDate: dateTimeOf(r.chargeEndDate),
    usageDate: dateTimeOf(r.usageDate),
    meterType: textOf(r.meterType),
    meterCategory: textOf(r.meterCategory),
    meterId: idOf(r.meterId),
    meterSubCategory: textOf(r.meterSubCategory),
    meterName: textOf(r.meterName),
    meterRegion: textOf(r.meterRegion),
    unitOfMeasure: textOf(r.unitOfMeasure),
    resourceLocation: textOf(r.resourceLocation),
    consumedService: textOf(r.consumedService),
    resourceGroup: textOf(r.resourceGroup),
    resourceUri: textOf(r.resourceUri),
    tags: textOf(r.tags),
    additionalInfo: textOf(r.additionalInfo),
    serviceInfo1: textOf(r.serviceInfo1),
    serviceInfo2: textOf(r.serviceInfo2),
    chargeType: idOf(r.chargeType),
    unitPrice: decimalOf(r.unitPrice),
    quantity: decimalOf(r.quantity),
    unitType: textOf(r.unitType),
    billingPreTaxTotal: decimalOf(r.billingPreTaxTotal),
    billingCurrency: currencyOf(r.billingCurrency),
    pricingPreTaxTotal: decimalOf(r.pricingPreTaxTotal),
    pricingCurrency: currencyOf(r.pricingCurrency),
    entitlementId: idOf(r.entitlementId),
    entitlementDescription: textOf(r.entitlementDescription),
    pcToBCExchangeRate: decimalOf(r.pcToBCExchangeRate),
    pcToBCExchangeRateDate: dateTimeOf(r.pcToBCExchangeRateDate),
    effectiveUnitPrice: decimalOf(r.effectiveUnitPrice),
    rateOfPartnerEarnedCredit: optionalDecimalOf(r.rateOfPartnerEarnedCredit),
    rateOfCredit: optionalDecimalOf(r.rateOfCredit),
    creditType: textOf(r.creditType),
    hasPartnerEarnedCredit: optionalBooleanOf(r.hasPartnerEarnedCredit),
    benefitOrderId: textOf(r.benefitOrderId),
    benefitId: textOf(r.benefitId),
    benefitType: textOf(r.benefitType),
    invoiceLineItemType: textOf(r.invoiceLineItemType),
    billingProvider: textOf(r.billingProvider),
  };
  const attributes = r.attributes;
  if (attributes !== undefined) {
    // zod strips unknown keys: the output is a new object with objectType only.
    if (isPlainObject(attributes) && attributes.objectType === OBJECT_TYPE) out.attributes = { objectType: OBJECT_TYPE };
    else unsure = true;
  } else if (Object.prototype.hasOwnProperty.call(r, 'attributes')) {
    // An absent optional object is left out of zod's output; a present `undefined` is kept: rare, zod decides.
    unsure = true;
  }
  if (unsure) {
    unsure = false;
    return undefined;
  }
  return out;
}

/**
 * Validates one line item: the fast path when it can accept, the zod schema otherwise. Same
 * result as `dailyRatedUsageLineItemSchema.safeParse(record)` (success and data, or its issues).
 */
export function safeParseDailyRatedUsageLineItem(record: unknown): ReturnType<typeof dailyRatedUsageLineItemSchema.safeParse> {
  const data = fastDailyRatedUsageLineItem(record);
  return data !== undefined ? { success: true, data } : dailyRatedUsageLineItemSchema.safeParse(record);
}

registerFastAccept(dailyRatedUsageLineItemSchema, fastDailyRatedUsageLineItem);
