import { z } from 'zod';
import { costFilterFields, currencyTotalSchema, dayParam, decimalString, fromNotAfterTo, tagNeedsKey } from './costs';
import { COST_DIMENSIONS, CostDimension } from './dimensions';
import { appliedRateSchema, rateConflictSchema } from './fx-rates';

const oneDimension = z.enum(COST_DIMENSIONS, { message: `must be one of: ${COST_DIMENSIONS.join(', ')}` });
const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM');
const groupNeedsTagKey: [(q: { groupBy?: CostDimension; dimension?: CostDimension; tagKey?: string }) => boolean, { path: string[]; message: string }] = [
  (q) => (q.groupBy ?? q.dimension) !== 'tag' || q.tagKey !== undefined,
  { path: ['tagKey'], message: 'is required to group by tag' },
];

/** Filters without a date range (forecast, month over month choose their own days). */
const { from: _from, to: _to, preset: _preset, ...undatedFilterFields } = costFilterFields;

// ---- time series -------------------------------------------------------------------------------

export const GRANULARITIES = ['day', 'month'] as const;
export const timeSeriesQuerySchema = z
  .strictObject({
    ...costFilterFields,
    granularity: z.enum(GRANULARITIES, { message: 'must be day or month' }).default('day'),
    /** Optional: one series per value of this dimension (else one per currency). */
    groupBy: oneDimension.optional(),
  })
  .refine(...fromNotAfterTo)
  .refine(...tagNeedsKey)
  .refine(...groupNeedsTagKey);
export type TimeSeriesQuery = z.output<typeof timeSeriesQuerySchema>;

export const timeSeriesPointSchema = z.object({
  /** YYYY-MM-DD or YYYY-MM. */
  period: z.string(),
  /** The value of `groupBy` ('' when not grouped). */
  key: z.string(),
  currency: z.string(),
  amount: decimalString,
});
export const timeSeriesResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  granularity: z.enum(GRANULARITIES),
  groupBy: oneDimension.nullable(),
  /** Every period of the range, in order (days or months with no cost have no points). */
  periods: z.array(z.string()),
  points: z.array(timeSeriesPointSchema),
  totals: z.array(currencyTotalSchema),
  /** With `currency=`: every point converted at its month's rate and summed per period and key. */
  reporting: z
    .object({
      currency: z.string(),
      points: z.array(z.object({ period: z.string(), key: z.string(), amount: decimalString })),
      total: decimalString,
      ratesUsed: z.array(appliedRateSchema),
      rateConflicts: z.array(rateConflictSchema),
    })
    .optional(),
});
export type TimeSeriesResponse = z.infer<typeof timeSeriesResponseSchema>;

// ---- top N ---------------------------------------------------------------------------------------

export const topQuerySchema = z
  .strictObject({
    ...costFilterFields,
    dimension: oneDimension,
    limit: z.coerce.number({ message: 'must be a number' }).int('must be an integer').min(1, 'must be at least 1').max(100, 'must be at most 100').default(10),
  })
  .refine(...fromNotAfterTo)
  .refine(...tagNeedsKey)
  .refine(...groupNeedsTagKey);
export type TopQuery = z.output<typeof topQuerySchema>;

export const topResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  dimension: oneDimension,
  /** Ranked per currency: the N largest of each currency, then what the rest adds up to. */
  currencies: z.array(
    z.object({
      currency: z.string(),
      items: z.array(z.object({ rank: z.number().int(), key: z.string(), label: z.string(), amount: decimalString })),
      others: decimalString,
      total: decimalString,
    }),
  ),
});
export type TopResponse = z.infer<typeof topResponseSchema>;

// ---- month over month ------------------------------------------------------------------------------

export const monthOverMonthQuerySchema = z
  .strictObject({
    ...undatedFilterFields,
    /** Default: the current month (to date). */
    month: monthParam.optional(),
    groupBy: oneDimension.optional(),
  })
  .refine(...tagNeedsKey)
  .refine(...groupNeedsTagKey);
export type MonthOverMonthQuery = z.output<typeof monthOverMonthQuerySchema>;

export const monthOverMonthRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  currency: z.string(),
  current: decimalString,
  /** The previous month over the same days as `current` (like for like while a month is open). */
  previousToDate: decimalString,
  previousFull: decimalString,
  /** current − previousToDate. */
  change: decimalString,
  /** Change in percent of previousToDate, 1 decimal; null when previousToDate is 0. */
  changePercent: z.string().nullable(),
});
export const monthOverMonthResponseSchema = z.object({
  month: z.string(),
  previousMonth: z.string(),
  /** Days of `month` compared (1 … through). */
  through: z.string(),
  groupBy: oneDimension.nullable(),
  rows: z.array(monthOverMonthRowSchema),
});
export type MonthOverMonthResponse = z.infer<typeof monthOverMonthResponseSchema>;

// ---- forecast -----------------------------------------------------------------------------------

export const forecastQuerySchema = z.strictObject({
  ...undatedFilterFields,
  /** Forecast as of this day (default: today); history is the 180 days up to it. */
  asOf: dayParam.optional(),
}).refine(...tagNeedsKey);
export type ForecastQuery = z.output<typeof forecastQuerySchema>;

const periodForecastSchema = z.object({ month: z.string(), total: decimalString, p10: decimalString, p90: decimalString });
export const forecastResponseSchema = z.object({
  asOf: z.string(),
  method: z.string(),
  currencies: z.array(
    z.object({
      currency: z.string(),
      historyDays: z.number().int(),
      monthEnd: periodForecastSchema.extend({
        actualToDate: decimalString,
        predictedRest: decimalString,
        daysElapsed: z.number().int(),
        daysRemaining: z.number().int(),
      }),
      nextMonths: z.array(periodForecastSchema),
    }),
  ),
});
export type ForecastResponse = z.infer<typeof forecastResponseSchema>;

// ---- customers and subscriptions ----------------------------------------------------------------

export const customersQuerySchema = z.strictObject({
  accountIds: undatedFilterFields.accountIds,
  includeSandbox: undatedFilterFields.includeSandbox,
  /** Month of the cost column (default: the current month, to date). */
  month: monthParam.optional(),
  search: z.string().max(100, 'must be at most 100 characters').optional(),
});
export type CustomersQuery = z.output<typeof customersQuerySchema>;

export const customerSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  id: z.string(),
  name: z.string(),
  domain: z.string().nullable(),
  country: z.string().nullable(),
  subscriptionCount: z.number().int(),
  currency: z.string(),
  /** Cost of `month` (to date for the current month), in the account's currency. */
  cost: decimalString,
});
export type Customer = z.infer<typeof customerSchema>;
export const customerListSchema = z.object({ month: z.string(), items: z.array(customerSchema) });
export type CustomerList = z.infer<typeof customerListSchema>;

export const subscriptionSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  /** Azure plan or legacy offer ("plan"), or an Azure subscription under a plan ("azure-subscription"). */
  kind: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  offerId: z.string().nullable(),
  status: z.string(),
  currency: z.string(),
  cost: decimalString,
});
export type Subscription = z.infer<typeof subscriptionSchema>;
export const subscriptionListSchema = z.object({ month: z.string(), items: z.array(subscriptionSchema) });
export type SubscriptionList = z.infer<typeof subscriptionListSchema>;
