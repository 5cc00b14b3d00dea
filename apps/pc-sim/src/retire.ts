/**
 * Retirement of the paged v1 reads in the global cloud (partner-center-api.md §5.4): since
 * 21 January 2025 daily rated usage (§5.1, §5.2), and since 21 April 2025 new-commerce billing line
 * items of periods from 2024-02 (billed) and unbilled, come only from the Graph export there. With
 * the simulator option `retireV1` those reads answer 410 Gone with a Partner Center error body naming
 * the Graph export to use. US Government, 21Vianet and Germany keep v1; so does everything else.
 */
import type { SimContext } from './context';
import { hasGraph } from './graph-config';
import type { AccountModel } from './profile';

/** HTTP status and Partner Center error number of a retired read (values chosen by the simulator). */
export const RETIRED_STATUS = 410;
export const RETIRED_CODE = 900410;

/** First billing period (day number of 2024-02-01) whose billing line items come only from Graph. */
const RECON_GRAPH_FROM = Date.UTC(2024, 1, 1) / 86_400_000;
/** First billing period (2022-09-01) whose billed daily usage comes only from Graph ("billed periods from September 2022"). */
const USAGE_GRAPH_FROM = Date.UTC(2022, 8, 1) / 86_400_000;

export type V1Read = 'unbilled-usage' | 'billed-usage' | 'unbilled-billing' | 'billed-billing';

const EXPORTS: Record<V1Read, string> = {
  'unbilled-usage': 'reports/partners/billing/usage/unbilled/export',
  'billed-usage': 'reports/partners/billing/usage/billed/export',
  'unbilled-billing': 'reports/partners/billing/reconciliation/unbilled/export',
  'billed-billing': 'reports/partners/billing/reconciliation/billed/export',
};

/** The error description when this read is retired for the account, else null. */
export function retiredRead(ctx: SimContext, acct: AccountModel, read: V1Read, periodStart?: number): string | null {
  if (!ctx.retireV1 || !hasGraph(acct)) return null;
  if (read === 'billed-billing' && periodStart !== undefined && periodStart < RECON_GRAPH_FROM) return null;
  if (read === 'billed-usage' && periodStart !== undefined && periodStart < USAGE_GRAPH_FROM) return null;
  const what = read.endsWith('usage') ? 'daily rated usage line items (v1)' : 'new-commerce billing line items (v1) of billing periods from February 2024';
  return `This API is retired in the global cloud: ${what} are no longer served. Use the Microsoft Graph billing export (${EXPORTS[read]}) with the application permission PartnerBilling.Read.All.`;
}
