import { z } from 'zod';
import { COST_DIMENSIONS, DATE_PRESETS, TAG_KEY_PATTERN } from './dimensions';
import { appliedRateSchema, rateConflictSchema } from './fx-rates';

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

function isRealDay(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export const dayParam = z
  .string()
  .regex(isoDay, 'must be a date as YYYY-MM-DD')
  .refine(isRealDay, 'is not a calendar date');

export const commaList = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Filters shared by every cost query. `from`/`to` are inclusive usage days (UTC).
 * `accountIds` narrows the caller's scope; it never widens it.
 */
export const costFilterFields = {
  from: dayParam,
  to: dayParam,
  accountIds: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? undefined : commaList(v))),
  includeSandbox: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
  /** Also count legacy Azure cost estimated from utilization × rate card (x_source 'estimated'); billed and unbilled only by default. */
  includeEstimated: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
  /** Alternative to from/to, resolved by the API's clock before validation (see resolveDatePreset). */
  preset: z.enum(DATE_PRESETS, { message: `must be one of: ${DATE_PRESETS.join(', ')}` }).optional(),
  /** Reporting currency: also convert the amounts into it, each month at that month's rate. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .optional(),
  /** Tag key for the `tag` dimension and the `tag` filter. */
  tagKey: z.string().regex(TAG_KEY_PATTERN, 'must be 1–64 letters, digits, spaces or _ . : -').optional(),
  // Drill-down filters, one per dimension: comma-separated values to keep.
  ...dimensionFilters(),
};

/** `service=Storage,Virtual Machines` keeps only those values of a dimension. */
function dimensionFilters() {
  const list = () =>
    z
      .string()
      .optional()
      .transform((v) => (v === undefined ? undefined : commaList(v)));
  return {
    service: list(),
    region: list(),
    account: list(),
    cloud: list(),
    customer: list(),
    subscription: list(),
    resourceGroup: list(),
    meter: list(),
    chargeType: list(),
    invoice: list(),
    tag: list(),
  } satisfies Record<(typeof COST_DIMENSIONS)[number], unknown>;
}

/** Names of the query parameters every cost query accepts (for "allowed: …" in 400 answers). */
export const COST_FILTER_PARAMS = ['from', 'to', 'preset', 'accountIds', 'includeSandbox', 'includeEstimated', 'currency', 'tagKey', ...COST_DIMENSIONS];

export const tagNeedsKey: [(q: { tagKey?: string; tag?: string[] }) => boolean, { path: string[]; message: string }] = [
  (q) => q.tag === undefined || q.tagKey !== undefined,
  { path: ['tagKey'], message: 'is required to filter by tag' },
];

export const fromNotAfterTo: [(q: { from: string; to: string }) => boolean, { path: string[]; message: string }] = [
  (q) => q.from <= q.to,
  { path: ['to'], message: 'must not be before from' },
];

/** Unknown parameters are refused (a typo must not silently widen a query). */
export const costFilterQuerySchema = z.strictObject(costFilterFields).refine(...fromNotAfterTo).refine(...tagNeedsKey);

export const breakdownQuerySchema = z
  .strictObject({
    ...costFilterFields,
    groupBy: z
      .string({ message: `is required; allowed values: ${COST_DIMENSIONS.join(', ')}` })
      .transform(commaList)
      .pipe(
        z
          .array(z.enum(COST_DIMENSIONS, { message: `must be one or two of: ${COST_DIMENSIONS.join(', ')}` }))
          .min(1, `must name one or two of: ${COST_DIMENSIONS.join(', ')}`)
          .max(2, 'takes at most two dimensions')
          .refine((dims) => new Set(dims).size === dims.length, 'must not repeat a dimension'),
      ),
  })
  .refine(...fromNotAfterTo)
  .refine(...tagNeedsKey)
  .refine((q) => !q.groupBy.includes('tag') || q.tagKey !== undefined, { path: ['tagKey'], message: 'is required to group by tag' });
export type BreakdownQuery = z.output<typeof breakdownQuerySchema>;
export type CostFilterQuery = z.output<typeof costFilterQuerySchema>;

/** A decimal amount as a string: exact, never a binary float. */
export const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/);

export const currencyTotalSchema = z.object({ currency: z.string(), amount: decimalString });
export type CurrencyTotal = z.infer<typeof currencyTotalSchema>;

/**
 * One breakdown cell. Amounts of different currencies are never added together: a row belongs to
 * exactly one currency (consolidation into a reporting currency is a separate, explicit step).
 */
export const breakdownRowSchema = z.object({
  keys: z.record(z.string(), z.string()),
  currency: z.string(),
  amount: decimalString,
});
export type BreakdownRow = z.infer<typeof breakdownRowSchema>;

/** The same figures converted into the reporting currency (`currency=`), with every rate used. */
const ratesUsedSchema = z.array(appliedRateSchema);
export const reportingBreakdownSchema = z.object({
  currency: z.string(),
  rows: z.array(z.object({ keys: z.record(z.string(), z.string()), amount: decimalString })),
  total: decimalString,
  ratesUsed: ratesUsedSchema,
  /** Months and pairs where Microsoft's rates disagree (not used; another source or none applied). */
  rateConflicts: z.array(rateConflictSchema),
});

export const breakdownResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.array(z.enum(COST_DIMENSIONS)),
  rows: z.array(breakdownRowSchema),
  totals: z.array(currencyTotalSchema),
  accountIds: z.array(z.string()),
  reporting: reportingBreakdownSchema.optional(),
});
export type BreakdownResponse = z.infer<typeof breakdownResponseSchema>;

export const accountCostSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  currency: z.string(),
  amount: decimalString,
  lastSuccessAt: z.string().nullable(),
});

export const costSummaryResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  totals: z.array(currencyTotalSchema),
  byAccount: z.array(accountCostSchema),
  reporting: z
    .object({ currency: z.string(), total: decimalString, byAccount: z.array(z.object({ accountId: z.string(), amount: decimalString })), ratesUsed: ratesUsedSchema, rateConflicts: z.array(rateConflictSchema) })
    .optional(),
});
export type CostSummaryResponse = z.infer<typeof costSummaryResponseSchema>;
