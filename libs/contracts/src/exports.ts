import { z } from 'zod';
import { costFilterFields, fromNotAfterTo, tagNeedsKey } from './costs';
import { COST_DIMENSIONS } from './dimensions';

/** Raw line items, keyset-paged: pass `cursor` = the previous page's `nextCursor`. */
export const lineItemsQuerySchema = z
  .strictObject({
    ...costFilterFields,
    limit: z.coerce.number({ message: 'must be a number' }).int('must be an integer').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(100),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,400}$/, 'must be a cursor returned by the previous page')
      .optional(),
  })
  .refine(...fromNotAfterTo)
  .refine(...tagNeedsKey);
export type LineItemsQuery = z.output<typeof lineItemsQuerySchema>;

export const lineItemSchema = z.object({
  accountId: z.string(),
  key: z.string(),
  day: z.string(),
  cloud: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  subscriptionId: z.string(),
  service: z.string(),
  region: z.string(),
  resourceGroup: z.string(),
  resourceId: z.string(),
  meter: z.string(),
  chargeType: z.string(),
  quantity: z.string(),
  unit: z.string(),
  amount: z.string(),
  currency: z.string(),
  invoiceId: z.string(),
  source: z.string(),
});
export type LineItem = z.infer<typeof lineItemSchema>;
export const lineItemPageSchema = z.object({
  items: z.array(lineItemSchema),
  nextCursor: z.string().nullable(),
  /**
   * Present when the range reaches months whose raw line items the retention removed (decision
   * 0023): per account, the first month that still has them. Totals of the months before stay in
   * every breakdown; only their line items are gone.
   */
  pruned: z.array(z.object({ accountId: z.string(), rawLineItemsFrom: z.string() })).optional(),
});
export type LineItemPage = z.infer<typeof lineItemPageSchema>;

/** An export of a breakdown (`groupBy` one or two dimensions) or of the line items, streamed. */
export const exportQuerySchema = z
  .strictObject({
    ...costFilterFields,
    kind: z.enum(['breakdown', 'line-items'], { message: 'must be breakdown or line-items' }),
    groupBy: z
      .string()
      .optional()
      .transform((v) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean)))
      .pipe(z.array(z.enum(COST_DIMENSIONS, { message: `must be one or two of: ${COST_DIMENSIONS.join(', ')}` })).min(1).max(2).optional()),
  })
  .refine(...fromNotAfterTo)
  .refine(...tagNeedsKey)
  .refine((q) => q.kind !== 'breakdown' || q.groupBy !== undefined, { path: ['groupBy'], message: 'is required for a breakdown export' });
export type ExportQuery = z.output<typeof exportQuerySchema>;

/** The FOCUS Cost and Usage export: every cost filter, and the file format (CSV by default). */
export const focusExportQuerySchema = z
  .strictObject({
    ...costFilterFields,
    format: z.enum(['csv', 'parquet'], { message: 'must be csv or parquet' }).default('csv'),
  })
  .refine(...fromNotAfterTo)
  .refine(...tagNeedsKey);
export type FocusExportQuery = z.output<typeof focusExportQuerySchema>;
