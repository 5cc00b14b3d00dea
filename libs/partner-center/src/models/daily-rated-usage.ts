/** Daily rated usage line item, billed and unbilled (partner-center-api.md §5.1–5.3). */
import { z } from 'zod';
import { CANONICAL_DECIMAL, DECIMAL_TEXT, decimalString, id, ISO_DATE_TIME, isoDateTime, normalizeDecimalText, objectType, text } from './common';
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

/** How each field of the zod schema validates (see common.ts for the building blocks). */
export type FieldKind = 'id' | 'text' | 'isoDateTime' | 'decimal' | 'decimal?' | 'currency' | 'boolean?' | 'attributes';

/**
 * Every key of the schema, in the schema's order, with its kind. The mapped type makes the
 * compiler reject a key the schema lacks or a missing one; the spec checks the order and kinds.
 */
export const DAILY_RATED_USAGE_FIELDS: { readonly [K in keyof Required<DailyRatedUsageLineItem>]: FieldKind } = {
  partnerId: 'id',
  partnerName: 'text',
  customerId: 'text',
  customerName: 'text',
  customerDomainName: 'text',
  customerCountry: 'text',
  invoiceNumber: 'text',
  mpnId: 'text',
  resellerMpnId: 'text',
  productId: 'id',
  skuId: 'text',
  availabilityId: 'text',
  skuName: 'text',
  productName: 'text',
  publisherName: 'text',
  publisherId: 'text',
  subscriptionId: 'id',
  subscriptionDescription: 'text',
  chargeStartDate: 'isoDateTime',
  chargeEndDate: 'isoDateTime',
  usageDate: 'isoDateTime',
  meterType: 'text',
  meterCategory: 'text',
  meterId: 'id',
  meterSubCategory: 'text',
  meterName: 'text',
  meterRegion: 'text',
  unitOfMeasure: 'text',
  resourceLocation: 'text',
  consumedService: 'text',
  resourceGroup: 'text',
  resourceUri: 'text',
  tags: 'text',
  additionalInfo: 'text',
  serviceInfo1: 'text',
  serviceInfo2: 'text',
  chargeType: 'id',
  unitPrice: 'decimal',
  quantity: 'decimal',
  unitType: 'text',
  billingPreTaxTotal: 'decimal',
  billingCurrency: 'currency',
  pricingPreTaxTotal: 'decimal',
  pricingCurrency: 'currency',
  entitlementId: 'id',
  entitlementDescription: 'text',
  pcToBCExchangeRate: 'decimal',
  pcToBCExchangeRateDate: 'isoDateTime',
  effectiveUnitPrice: 'decimal',
  rateOfPartnerEarnedCredit: 'decimal?',
  rateOfCredit: 'decimal?',
  creditType: 'text',
  hasPartnerEarnedCredit: 'boolean?',
  benefitOrderId: 'text',
  benefitId: 'text',
  benefitType: 'text',
  invoiceLineItemType: 'text',
  billingProvider: 'text',
  attributes: 'attributes',
};

const KEYS = Object.keys(DAILY_RATED_USAGE_FIELDS) as (keyof DailyRatedUsageLineItem)[];
const KINDS = KEYS.map((k) => DAILY_RATED_USAGE_FIELDS[k]);
const OBJECT_TYPE = 'DailyRatedUsageLineItem';

/** Marks "not decided here" (zod decides). */
const UNSURE = Symbol('unsure');

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function decimal(v: unknown): string | typeof UNSURE {
  if (typeof v !== 'string') return UNSURE;
  // The common case: canonical text, kept as it is (what the zod transform does too).
  if (CANONICAL_DECIMAL.test(v) && v !== '-0') return v;
  const t = v.trim();
  return DECIMAL_TEXT.test(t) ? normalizeDecimalText(t) : UNSURE;
}

function field(kind: FieldKind, v: unknown): unknown {
  switch (kind) {
    case 'text':
      return typeof v === 'string' ? v : v === null || v === undefined ? '' : UNSURE;
    case 'id':
      return typeof v === 'string' && v.length > 0 ? v : UNSURE;
    case 'isoDateTime':
      return typeof v === 'string' && ISO_DATE_TIME.test(v) ? v : UNSURE;
    case 'decimal':
      return decimal(v);
    case 'decimal?':
      return v === null || v === undefined ? null : decimal(v);
    case 'currency':
      return typeof v === 'string' && CURRENCY_CODE.test(v) ? v : UNSURE;
    case 'boolean?':
      return typeof v === 'boolean' ? v : v === null || v === undefined ? null : UNSURE;
    case 'attributes':
      // zod strips unknown keys: the output is a new object with objectType only.
      return isPlainObject(v) && v.objectType === OBJECT_TYPE ? { objectType: OBJECT_TYPE } : UNSURE;
  }
}

/**
 * The validated item exactly as `dailyRatedUsageLineItemSchema.parse(record)` returns it, or
 * `undefined` when this fast path cannot tell (the record may still be valid: ask zod).
 */
export function fastDailyRatedUsageLineItem(record: unknown): DailyRatedUsageLineItem | undefined {
  if (!isPlainObject(record)) return undefined;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < KEYS.length; i++) {
    const key = KEYS[i];
    const v = record[key];
    if (KINDS[i] === 'attributes' && v === undefined) {
      // An absent optional object is left out of zod's output; a present `undefined` is kept.
      if (Object.prototype.hasOwnProperty.call(record, key)) return undefined;
      continue;
    }
    const r = field(KINDS[i], v);
    if (r === UNSURE) return undefined;
    out[key] = r;
  }
  return out as DailyRatedUsageLineItem;
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
