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

/** 422: a conversion needs rates the table does not have, each named with its month. */
export const missingRatesErrorSchema = z.object({
  statusCode: z.literal(422),
  error: z.string(),
  message: z.string(),
  missing: z.array(z.object({ pair: z.string(), period: z.string() })),
});
export type MissingRatesErrorBody = z.infer<typeof missingRatesErrorSchema>;

/** A rate a converted response used: direct, inverted, or crossed through EUR. */
export const appliedRateSchema = z.object({ from: z.string(), to: z.string(), period: z.string(), factor: z.string(), how: z.string(), locked: z.boolean() });
export type AppliedRateDto = z.infer<typeof appliedRateSchema>;
