import { Inject, Injectable } from '@nestjs/common';
import type { BillingRatesResponse, RateConflict } from '@meridian/contracts';
import { billingCrossRates, deriveBillingRates, type RateSourceLayer } from '@meridian/finops';
import { AccessScope, Store } from '@meridian/store';

/**
 * The organisation's rate sources in its order of precedence (docs/decisions/0018), read by the store
 * (libs/store RateSourcesReader, shared with alert evaluation), and Microsoft's billing rates as such.
 */
@Injectable()
export class RateSourcesService {
  constructor(@Inject(Store) private readonly store: Store) {}

  /** The caller's layers: Microsoft's rates from the accounts `scope` may see. */
  layers(scope: AccessScope, months: { from: string; to: string }): Promise<{ layers: RateSourceLayer[]; conflicts: RateConflict[] }> {
    return this.store.rateSources.layers(scope, months);
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
