import { z } from 'zod';

/**
 * A saved view: a page of the dashboard with its URL query (filters, dates, grouping, currency),
 * under a name. Private to its author, or shared with the users who see the same accounts: a
 * shared view is listed to another user only when their grants cover every account it concerns,
 * so a view never reveals an account (or a filter on it) to someone without access.
 */
export const SAVED_VIEW_PATHS = ['/overview', '/cost-by-service-region', '/explorer', '/customers', '/invoices'] as const;

export const savedViewInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(200, 'at most 200 characters'),
  path: z.enum(SAVED_VIEW_PATHS, { message: `must be one of: ${SAVED_VIEW_PATHS.join(', ')}` }),
  /** The page's URL query without '?', exactly as in the address bar. */
  query: z
    .string()
    .max(4000, 'at most 4000 characters')
    .refine((q) => !q.startsWith('?'), 'must not start with ?'),
  shared: z.boolean().default(false),
});
export type SavedViewInput = z.input<typeof savedViewInputSchema>;

export const savedViewUpdateSchema = z
  .strictObject({ name: savedViewInputSchema.shape.name.optional(), query: savedViewInputSchema.shape.query.optional(), shared: z.boolean().optional() })
  .refine((v) => Object.keys(v).length > 0, 'must change at least one of name, query, shared');

export const savedViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.enum(SAVED_VIEW_PATHS),
  query: z.string(),
  shared: z.boolean(),
  /** Accounts the view concerns (from its query, else its author's accounts); null = every account. */
  accountIds: z.array(z.string()).nullable(),
  ownerId: z.string(),
  ownerName: z.string(),
  /** True for the caller's own views (only those can be changed or deleted). */
  mine: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedView = z.infer<typeof savedViewSchema>;
export const savedViewListSchema = z.object({ items: z.array(savedViewSchema) });
export type SavedViewList = z.infer<typeof savedViewListSchema>;

export const savedViewsQuerySchema = z.strictObject({ path: z.enum(SAVED_VIEW_PATHS).optional() });
