/**
 * Which Partner Center read serves a data set of an account (partner-center-api.md §5.4): in the
 * global cloud (incl. the EU) usage and recent reconciliation come only from the Microsoft Graph
 * billing export; US Government, 21Vianet and Germany have no Graph export and stay on v1.
 */
export const USAGE_APIS = ['auto', 'graph', 'v1'] as const;
export type UsageApi = (typeof USAGE_APIS)[number];
export type ReadPath = 'graph' | 'v1';

export type BillingDataset = 'usage-unbilled' | 'usage-billed' | 'reconciliation-unbilled' | 'reconciliation-billed';

export interface ReadPathQuery {
  cloud: string;
  dataset: BillingDataset;
  /** Billing period start (YYYY-MM-DD) for billed data sets. */
  periodStart?: string;
  /** The account's override: `auto` follows the table; `graph` or `v1` force one read. */
  usageApi?: string;
}

/** v1 billed reconciliation stays for billing periods before February 2024 (§5.4). */
export const GRAPH_RECONCILIATION_FROM = '2024-02-01';
/** Microsoft's deprecation note: billed daily rated usage of periods from September 2022 is v2-only. */
export const GRAPH_BILLED_USAGE_FROM = '2022-09-01';

export function readPathFor(q: ReadPathQuery): ReadPath {
  if (q.usageApi === 'graph' || q.usageApi === 'v1') return q.usageApi;
  if (q.cloud !== 'global') return 'v1';
  switch (q.dataset) {
    case 'usage-unbilled':
    case 'reconciliation-unbilled':
      return 'graph';
    case 'usage-billed':
      return q.periodStart !== undefined && q.periodStart < GRAPH_BILLED_USAGE_FROM ? 'v1' : 'graph';
    case 'reconciliation-billed':
      return q.periodStart !== undefined && q.periodStart < GRAPH_RECONCILIATION_FROM ? 'v1' : 'graph';
  }
}
