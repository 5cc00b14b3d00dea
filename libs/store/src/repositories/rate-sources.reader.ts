import { deriveBillingRates, rateSourceLayers, rateSourceOrder, type RateConflict, type RateSourceLayer } from '@meridian/finops';
import { AccessScope } from '../access-scope';
import { BillingRateRepository } from './billing-rate.repository';
import { FxRateRepository } from './fx-rate.repository';
import { OrgSettingsRepository } from './org-settings.repository';

/**
 * The organisation's rate sources in its order (setting `rateSources`), read once for a conversion:
 * the rate table, Microsoft's rates derived from the line items `scope` may see, and their conflicts.
 * Used by the api's conversions and by alert evaluation alike, so both convert the same way.
 */
export class RateSourcesReader {
  constructor(
    private readonly fxRates: FxRateRepository,
    private readonly billingRates: BillingRateRepository,
    private readonly settings: OrgSettingsRepository,
  ) {}

  async order(): Promise<string[]> {
    return rateSourceOrder((await this.settings.all()).values.rateSources);
  }

  async layers(
    scope: AccessScope,
    months: { from: string; to: string },
  ): Promise<{ layers: RateSourceLayer[]; conflicts: RateConflict[] }> {
    const order = await this.order();
    const table = await this.fxRates.list({ from: months.from, to: months.to });
    const derived = order.includes('microsoft')
      ? deriveBillingRates(await this.billingRates.observations(scope, months))
      : { rates: [], conflicts: [] };
    return { layers: rateSourceLayers(order, table, derived.rates), conflicts: derived.conflicts };
  }
}
