import { z } from 'zod';
import { COST_DIMENSIONS, TAG_KEY_PATTERN, type CostDimension } from './dimensions';
import type { SavedView } from './views';

/**
 * Scheduled reports (docs/decisions/0021-scheduled-reports.md): a user subscribes to a saved view
 * they can see; once per period (UTC day, ISO week Monday–Sunday, calendar month) they get an
 * e-mail with the view's table over the period just ended and the same rows as a CSV attachment,
 * computed under the subscriber's grants at send time.
 */
export const REPORT_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number];

export const reportSubscriptionInputSchema = z.strictObject({
  frequency: z.enum(REPORT_FREQUENCIES, { message: `must be one of: ${REPORT_FREQUENCIES.join(', ')}` }),
});
export type ReportSubscriptionInput = z.infer<typeof reportSubscriptionInputSchema>;

export const reportSubscriptionSchema = z.object({
  id: z.string(),
  viewId: z.string(),
  viewName: z.string(),
  viewPath: z.string(),
  userId: z.string(),
  userName: z.string(),
  frequency: z.enum(REPORT_FREQUENCIES),
  /** Key of the last period delivered ('2026-11-24', '2026-W48', '2026-11'), null before the first. */
  lastPeriod: z.string().nullable(),
  lastSentAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ReportSubscription = z.infer<typeof reportSubscriptionSchema>;
export const reportSubscriptionListSchema = z.object({ items: z.array(reportSubscriptionSchema) });
export type ReportSubscriptionList = z.infer<typeof reportSubscriptionListSchema>;

/** `GET /api/report-subscriptions?all=true`: every user's subscriptions (organisation owner only). */
export const reportSubscriptionsQuerySchema = z.strictObject({
  all: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
});

/** The pages whose table is a cost breakdown, and so can be sent as a report. */
export const REPORTABLE_VIEW_PATHS = ['/overview', '/cost-by-service-region', '/explorer', '/customers'] as const satisfies readonly SavedView['path'][];

/** What a report of a view computes: the view's grouping and filters; the period replaces its dates. */
export interface ViewReportSpec {
  groupBy: CostDimension[];
  where: Partial<Record<CostDimension, string[]>>;
  /** Accounts the view's query names (narrowing the subscriber's scope), undefined = every account they see. */
  accountIds?: string[];
  includeSandbox: boolean;
  includeEstimated: boolean;
  tagKey?: string;
  /** The view's `currency=` (null: the organisation's reporting currency; 'none': per billing currency only). */
  currency: string | null;
}

const list = (params: URLSearchParams, key: string) =>
  params
    .getAll(key)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
const isDimension = (v: string): v is CostDimension => (COST_DIMENSIONS as readonly string[]).includes(v);

/**
 * Reads a saved view's page and URL query the way the dashboard page does (apps/web's URL state):
 * the explorer's `group` (default service) and per-dimension filters, the fixed grouping of the
 * other cost pages, `accounts`, `sandbox=1`, `estimated=1`, `tagKey`, `currency`. Undefined for a
 * page that is not a cost table (invoices). Unknown parameters are ignored, as the page does.
 */
export function viewReportSpec(path: string, query: string): ViewReportSpec | undefined {
  const params = new URLSearchParams(query);
  const groupsOf: Record<(typeof REPORTABLE_VIEW_PATHS)[number], () => CostDimension[]> = {
    '/explorer': () => {
      const group = [...new Set(list(params, 'group').filter(isDimension))].slice(0, 2);
      return group.length ? group : ['service'];
    },
    '/cost-by-service-region': () => ['service', 'region'],
    '/overview': () => ['account'],
    '/customers': () => ['customer'],
  };
  const groups = groupsOf[path as keyof typeof groupsOf];
  if (!groups) return undefined;
  const tagKey = params.get('tagKey') ?? undefined;
  let groupBy = groups();
  // A tag grouping or filter without a valid key cannot be computed: leave the tag out, as the page shows nothing for it.
  const tagUsable = tagKey !== undefined && TAG_KEY_PATTERN.test(tagKey);
  if (!tagUsable) groupBy = groupBy.filter((d) => d !== 'tag');
  if (groupBy.length === 0) groupBy = ['service'];
  const where: Partial<Record<CostDimension, string[]>> = {};
  for (const d of COST_DIMENSIONS) {
    if (d === 'account' || (d === 'tag' && !tagUsable)) continue;
    const values = list(params, d);
    if (values.length) where[d] = values;
  }
  const accounts = [...new Set([...list(params, 'accounts'), ...list(params, 'accountIds'), ...list(params, 'account')])];
  const currency = params.get('currency');
  return {
    groupBy,
    where,
    ...(accounts.length ? { accountIds: accounts } : {}),
    includeSandbox: params.get('sandbox') === '1' || params.get('includeSandbox') === 'true',
    includeEstimated: params.get('estimated') === '1' || params.get('includeEstimated') === 'true',
    ...(tagUsable ? { tagKey } : {}),
    currency: currency === 'none' ? 'none' : currency && /^[A-Z]{3}$/.test(currency) ? currency : null,
  };
}
