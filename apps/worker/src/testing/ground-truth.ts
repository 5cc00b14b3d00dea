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

/** Line items per source (billed | unbilled) in the window, as the simulator serves them at its clock. */
export async function truthBySource(simUrl: string, accountId: string, window = SYNC_WINDOW): Promise<Record<string, number>> {
  const res = await fetch(`${simUrl}/_sim/ground-truth?account=${accountId}&from=${window.from}&to=${window.to}&groupBy=source`);
  const body = (await res.json()) as { rows: { keys: { source: string }; lineItems: number }[] };
  return Object.fromEntries(body.rows.filter((r) => r.lineItems > 0).map((r) => [r.keys.source, r.lineItems]));
}

/** Stored line items per source in the window (no pending rows may be left behind); legacy estimates are not Partner Center line items. */
export async function storedBySource(store: Store, accountId: string, window = SYNC_WINDOW): Promise<Record<string, number>> {
  const p = store.dataSource.options.type === 'postgres' ? ['$1', '$2', '$3'] : ['?', '?', '?'];
  const rows: { s: string; n: string | number }[] = await store.dataSource.query(
    `SELECT x_source AS s, count(*) AS n FROM cost_line_item WHERE billing_account_id = ${p[0]} AND charge_period_start BETWEEN ${p[1]} AND ${p[2]} AND x_source <> 'estimated' GROUP BY x_source`,
    [accountId, window.from, window.to],
  );
  return Object.fromEntries(rows.map((r) => [r.s, Number(r.n)]));
}
