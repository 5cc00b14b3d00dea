import { normalizeDecimal } from '@meridian/finops';
import { AccessScope, Store } from '@meridian/store';

/** Fixed simulator clock for tests: usage exists from 2026-10-01 (previous period) to 2026-11-24. */
export const SIM_NOW = new Date('2026-11-25T12:00:00Z');
export const SYNC_WINDOW = { from: '2026-10-01', to: '2026-11-24' };

interface GroundTruth {
  currency: string;
  rows: { keys: { service: string; region: string }; amount: string }[];
  total: string;
  lineItems: number;
}

export async function groundTruth(simUrl: string, accountId: string, window = SYNC_WINDOW): Promise<GroundTruth> {
  const res = await fetch(`${simUrl}/_sim/ground-truth?account=${accountId}&from=${window.from}&to=${window.to}&groupBy=service,region`);
  if (!res.ok) throw new Error(`ground truth for ${accountId}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as GroundTruth;
}

/** "service|region" → exact amount, for one account, as the store has it. */
export async function storedServiceRegion(store: Store, accountId: string, window = SYNC_WINDOW) {
  const { rows, totals } = await store.costs.breakdown(AccessScope.accounts([accountId]), ['service', 'region'], {
    ...window,
    includeSandbox: true,
  });
  return {
    cells: Object.fromEntries(rows.map((r) => [`${r.keys.service}|${r.keys.region}`, r.amount])),
    totals,
  };
}

export function expectedServiceRegion(truth: GroundTruth) {
  return Object.fromEntries(truth.rows.map((r) => [`${r.keys.service}|${r.keys.region}`, normalizeDecimal(r.amount)]));
}
