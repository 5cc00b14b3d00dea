import { z } from 'zod';

const code = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM');
const positiveDecimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a positive decimal number as a string')
  .refine((v) => Number(v) > 0, 'must be greater than 0');

/** 1 base = rate quote, for a month. Rates of closed months are locked. */
export const fxRateSchema = z.object({ base: z.string(), quote: z.string(), period: z.string(), rate: z.string(), source: z.string(), locked: z.boolean() });
export type FxRateDto = z.infer<typeof fxRateSchema>;
export const fxRateListSchema = z.object({ items: z.array(fxRateSchema) });

export const fxRatesQuerySchema = z.strictObject({ base: code.optional(), quote: code.optional(), from: month.optional(), to: month.optional() });
export type FxRatesQuery = z.output<typeof fxRatesQuerySchema>;

export const fxRateKeySchema = z.strictObject({ base: code, quote: code, period: month }).refine((r) => r.base !== r.quote, { path: ['quote'], message: 'must differ from base' });
export const fxRateWriteSchema = z.strictObject({
  rates: z
    .array(z.strictObject({ base: code, quote: code, period: month, rate: positiveDecimal }).refine((r) => r.base !== r.quote, { path: ['quote'], message: 'must differ from base' }))
    .min(1, 'must list at least one rate')
    .max(5000, 'at most 5000 rates at once'),
});
export type FxRateWrite = z.output<typeof fxRateWriteSchema>;

export const fxImportResultSchema = z.object({ written: z.number().int(), unchanged: z.number().int(), months: z.number().int(), currencies: z.array(z.string()) });
export type FxImportResult = z.infer<typeof fxImportResultSchema>;

/** Rows of one pair and month that disagree on Microsoft's rate: reported, never averaged. */
export const rateConflictSchema = z.object({
  pair: z.string(),
  period: z.string(),
  observed: z.array(z.object({ rate: z.string(), rateDates: z.array(z.string()), rows: z.number().int() })),
});
export type RateConflict = z.infer<typeof rateConflictSchema>;

/** 422: a conversion needs rates no source has, each named with its month (and any conflict behind it). */
export const missingRatesErrorSchema = z.object({
  statusCode: z.literal(422),
  error: z.string(),
  message: z.string(),
  missing: z.array(z.object({ pair: z.string(), period: z.string() })),
  conflicts: z.array(rateConflictSchema).optional(),
});
export type MissingRatesErrorBody = z.infer<typeof missingRatesErrorSchema>;

/** One stored or derived rate behind a factor. */
export const rateLegSchema = z.object({ base: z.string(), quote: z.string(), period: z.string(), rate: z.string(), source: z.string(), locked: z.boolean() });

/**
 * A rate a converted response used: direct, inverted, or crossed through a pivot currency, from one
 * source (manual | microsoft | ecb-csv); locked when every leg is (a closed, billed month).
 */
export const appliedRateSchema = z.object({ from: z.string(), to: z.string(), period: z.string(), factor: z.string(), how: z.string(), source: z.string(), locked: z.boolean(), legs: z.array(rateLegSchema) });
export type AppliedRateDto = z.infer<typeof appliedRateSchema>;

/** Microsoft's billing rates (pcToBCExchangeRate) derived from the synced line items the caller may see. */
export const billingRatesQuerySchema = z.strictObject({ from: month, to: month }).refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' });
export type BillingRatesQuery = z.output<typeof billingRatesQuerySchema>;
export const billingRatesResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Pricing → billing currency, one per pair and month, as Partner Center applied it. */
  rates: z.array(rateLegSchema.extend({ rateDates: z.array(z.string()), rows: z.number().int() })),
  /** Between billing currencies through the pricing currency: (P→Y) / (P→X), half-even to 12 places. */
  crossRates: z.array(rateLegSchema.extend({ via: z.string() })),
  conflicts: z.array(rateConflictSchema),
});
export type BillingRatesResponse = z.infer<typeof billingRatesResponseSchema>;
