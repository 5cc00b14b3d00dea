import { Inject, Injectable } from '@nestjs/common';
import type { BillingRatesResponse, RateConflict } from '@meridian/contracts';
import { billingCrossRates, deriveBillingRates, MICROSOFT_RATE_SOURCE, type RateSourceLayer } from '@meridian/finops';
import { AccessScope, Store } from '@meridian/store';
import { SettingsService } from '../settings/settings.service';

/**
 * The organisation's rate sources in its order of precedence (docs/decisions/0016): the rate table
 * split by source (manual, ecb-csv; crosses through EUR) and Microsoft's billing rates derived from
 * the line items the caller may see (crosses through the pricing currency).
 */
@Injectable()
export class RateSourcesService {
  constructor(
    @Inject(Store) private readonly store: Store,
    private readonly settings: SettingsService,
  ) {}

  async layers(
    scope: AccessScope,
    months: { from: string; to: string },
  ): Promise<{ layers: RateSourceLayer[]; conflicts: RateConflict[] }> {
    const { rateSources } = await this.settings.get();
    const table = await this.store.fxRates.list({ from: months.from, to: months.to });
    const layers: RateSourceLayer[] = [];
    let conflicts: RateConflict[] = [];
    for (const source of rateSources) {
      if (source === MICROSOFT_RATE_SOURCE) {
        const derived = deriveBillingRates(await this.store.billingRates.observations(scope, months));
        layers.push({ source, rates: derived.rates, pivots: [...new Set(derived.rates.map((r) => r.base))].sort() });
        conflicts = derived.conflicts;
      } else {
        layers.push({ source, rates: table.filter((r) => r.source === source), pivots: ['EUR'] });
      }
    }
    // Last resort: a cross whose two legs are in the table under different sources (a manual
    // correction of one EUR leg beside the ECB import). Microsoft's rates never mix with the table.
    const tableSources = rateSources.filter((s) => s !== MICROSOFT_RATE_SOURCE);
    if (tableSources.length > 1)
      layers.push({
        source: tableSources.join('+'),
        rates: table.filter((r) => tableSources.includes(r.source as never)),
        pivots: ['EUR'],
      });
    return { layers, conflicts };
  }

  /** Microsoft's rates per pair and month, the cross rates between billing currencies, and conflicts. */
  async billing(scope: AccessScope, months: { from: string; to: string }): Promise<BillingRatesResponse> {
    const { rates, conflicts } = deriveBillingRates(await this.store.billingRates.observations(scope, months));
    const leg = (r: { base: string; quote: string; period: string; rate: string; source: string; locked: boolean }) => ({
      base: r.base,
      quote: r.quote,
      period: r.period,
      rate: r.rate,
      source: r.source,
      locked: r.locked,
    });
    return {
      from: months.from,
      to: months.to,
      rates: rates.map((r) => ({ ...leg(r), rateDates: r.rateDates, rows: r.rows })),
      crossRates: billingCrossRates(rates).map((c) => ({ ...leg(c), via: c.via })),
      conflicts,
    };
  }
}
