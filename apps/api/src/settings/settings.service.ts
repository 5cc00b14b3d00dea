import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import type { OrgSettings, OrgSettingsWrite, RateSource } from '@meridian/contracts';
import { rateSourceOrder } from '@meridian/finops';
import { AccessScope, Store } from '@meridian/store';

/** Organisation settings: the reporting currency and the precedence of rate sources. */
@Injectable()
export class SettingsService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async get(): Promise<OrgSettings> {
    const { values, updatedAt, updatedBy } = await this.store.settings.all();
    const currency = values.reportingCurrency;
    return {
      reportingCurrency: typeof currency === 'string' ? currency : null,
      // The order conversions use (libs/finops): unknown names dropped, the default when none is left.
      rateSources: rateSourceOrder(values.rateSources) as RateSource[],
      updatedAt,
      updatedBy,
    };
  }

  /** They apply to every account: only an admin of all accounts (or the owner) changes them. */
  async update(scope: AccessScope, body: OrgSettingsWrite, actor: { userId: string }): Promise<OrgSettings> {
    if (scope.ids() !== undefined)
      throw new ForbiddenException('organisation settings apply to every account: they need admin on all accounts');
    const values: Record<string, unknown> = {};
    if (body.reportingCurrency !== undefined) values.reportingCurrency = body.reportingCurrency;
    if (body.rateSources !== undefined) values.rateSources = body.rateSources;
    await this.store.settings.update(values, actor);
    return this.get();
  }
}
