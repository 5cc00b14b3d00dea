import { MICROSOFT_RATE_SOURCE, type BillingRate } from './billing-rates';
import type { FxRate, RateSourceLayer } from './currency';

/** Every rate source (the names contracts' RATE_SOURCES offers in the settings). */
export const RATE_SOURCE_NAMES = ['manual', MICROSOFT_RATE_SOURCE, 'ecb-csv'] as const;
/** Finance's own entries first; then what Microsoft actually invoiced; the ECB reference last. */
export const DEFAULT_RATE_SOURCE_ORDER: readonly string[] = RATE_SOURCE_NAMES;

/** The organisation's stored order, keeping only known names; the default when none is left. */
export function rateSourceOrder(stored: unknown): string[] {
  const known = Array.isArray(stored) ? stored.filter((s): s is string => (RATE_SOURCE_NAMES as readonly unknown[]).includes(s)) : [];
  return known.length ? [...new Set(known)] : [...DEFAULT_RATE_SOURCE_ORDER];
}

/**
 * The layers a conversion tries in order (docs/decisions/0018): one per source — the rate table split
 * by source (crosses through EUR), Microsoft's derived rates (crosses through the pricing currency) —
 * and, last, the table sources together, so a cross whose EUR legs sit in a manual and an ECB rate
 * still resolves. Microsoft's rates never mix with the table.
 */
export function rateSourceLayers(order: readonly string[], table: readonly FxRate[], microsoft: readonly BillingRate[]): RateSourceLayer[] {
  const layers: RateSourceLayer[] = order.map((source) =>
    source === MICROSOFT_RATE_SOURCE
      ? { source, rates: microsoft, pivots: [...new Set(microsoft.map((r) => r.base))].sort() }
      : { source, rates: table.filter((r) => r.source === source), pivots: ['EUR'] },
  );
  const tableSources = order.filter((s) => s !== MICROSOFT_RATE_SOURCE);
  if (tableSources.length > 1)
    layers.push({ source: tableSources.join('+'), rates: table.filter((r) => tableSources.includes(r.source)), pivots: ['EUR'] });
  return layers;
}
