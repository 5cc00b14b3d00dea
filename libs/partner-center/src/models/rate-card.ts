/** Azure rate card of legacy Azure offers (partner-center-api.md §8.1). */
import { z } from 'zod';
import { decimalString, id, isoDateTime, objectType, text } from './common';

/** Decimal keys outside `rates` (whose keys are thresholds: see quoteRateValues). */
export const RATE_CARD_DECIMAL_KEYS = ['includedQuantity', 'discount'] as const;

const JSON_NUMBER = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;
const RATES_OBJECT = /"rates"(\s*:\s*)\{([^{}]*)\}/g;
const RATE_ENTRY = new RegExp(String.raw`("(?:[^"\\]|\\.)*"\s*:\s*)(${JSON_NUMBER})(?=\s*[,}]|\s*$)`, 'g');

/**
 * `rates` maps thresholds to unit prices: its keys are not known in advance, so exact-json.ts
 * cannot name them. Every number inside a `"rates": {…}` object becomes a string before parsing,
 * keeping every digit. Safe for the reason exact-json.ts gives: inside a JSON string the quotes
 * of `"rates"` would be escaped, so only a real key matches; the object holds no nested braces.
 */
export function quoteRateValues(json: string): string {
  return json.replace(RATES_OBJECT, (_all, colon: string, body: string) => `"rates"${colon}{${body.replace(RATE_ENTRY, '$1"$2"')}}`);
}

const threshold = z.string().regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal threshold');

/** One meter; validated on its own so one bad meter never costs the rest of the card. */
export const rateCardMeterSchema = z.object({
  /** = utilization `resource.id`. */
  id,
  name: text,
  /** threshold → unit price from that quantity on; one tier must start at 0. */
  rates: z
    .record(threshold, decimalString)
    .refine((r) => Object.keys(r).length > 0, 'expected at least one rate')
    .refine((r) => Object.keys(r).some((k) => Number(k) === 0), 'expected a tier starting at 0')
    .refine((r) => Object.values(r).every((v) => !v.startsWith('-')), 'expected non-negative unit prices'),
  tags: z.array(z.string()).nullish().transform((v) => v ?? []),
  category: text,
  subcategory: text,
  region: text,
  unit: text,
  includedQuantity: decimalString.nullish().transform((v) => v ?? ('0' as z.output<typeof decimalString>)),
  effectiveDate: isoDateTime,
});
export type RateCardMeter = z.infer<typeof rateCardMeterSchema>;

/** The card around the meters; meters stay `unknown` here and are validated one by one. */
export const rateCardEnvelopeSchema = z.object({
  locale: text,
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 currency code'),
  isTaxIncluded: z.boolean().nullish().transform((v) => v ?? false),
  meters: z.array(z.unknown()),
  offerTerms: z.array(z.unknown()).nullish(),
  attributes: objectType('AzureRateCard'),
});
