import { z } from 'zod';

/** One tier of a rate-card meter: from `from` units on (billable, after the included quantity), `unitPrice` each. */
export const priceTierSchema = z.object({ from: z.string(), unitPrice: z.string() });
export type PriceTier = z.infer<typeof priceTierSchema>;

/** A meter of an account's Azure rate card (partner-center-api.md §8.1); amounts are exact decimal strings. */
export const priceSchema = z.object({
  meterId: z.string(),
  name: z.string(),
  category: z.string(),
  subcategory: z.string(),
  region: z.string(),
  unit: z.string(),
  currency: z.string(),
  /** Free units each month. */
  includedQuantity: z.string(),
  effectiveDate: z.string(),
  /** Ascending by `from`; the first starts at "0". */
  tiers: z.array(priceTierSchema),
});
export type Price = z.infer<typeof priceSchema>;

export const priceListSchema = z.object({
  accountId: z.string(),
  items: z.array(priceSchema),
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: z.string().nullable(),
});
export type PriceList = z.infer<typeof priceListSchema>;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const pricesQuerySchema = z.strictObject({
  /** Text in the meter name, category or subcategory. */
  q: text(100).optional(),
  category: text(200).optional(),
  region: text(100).optional(),
  limit: z.coerce.number({ message: 'must be a number' }).int('must be an integer').min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,800}$/, 'must be a cursor returned by the previous page')
    .optional(),
});
export type PricesQuery = z.output<typeof pricesQuerySchema>;
export const PRICES_QUERY_PARAMS = ['q', 'category', 'region', 'limit', 'cursor'];

export const priceEstimateQuerySchema = z.strictObject({
  accountId: text(64),
  meterId: text(64),
  /** Cumulative quantity in the meter's unit, e.g. a month's use. */
  quantity: z
    .string()
    .regex(/^\d{1,15}(\.\d{1,20})?$/, 'must be a non-negative decimal number such as 1024.5'),
});
export type PriceEstimateQuery = z.output<typeof priceEstimateQuerySchema>;
export const PRICE_ESTIMATE_QUERY_PARAMS = ['accountId', 'meterId', 'quantity'];

/** The tiered price of a quantity: how it splits over the free part and the tiers, exactly. */
export const priceEstimateSchema = z.object({
  accountId: z.string(),
  meterId: z.string(),
  name: z.string(),
  unit: z.string(),
  currency: z.string(),
  quantity: z.string(),
  /** Units of `quantity` that were free (the included quantity). */
  included: z.string(),
  tiers: z.array(z.object({ from: z.string(), to: z.string().nullable(), unitPrice: z.string(), quantity: z.string(), cost: z.string() })),
  cost: z.string(),
});
export type PriceEstimate = z.infer<typeof priceEstimateSchema>;
