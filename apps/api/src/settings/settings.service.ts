import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { DEFAULT_RATE_SOURCES, RATE_SOURCES, type OrgSettings, type OrgSettingsWrite, type RateSource } from '@meridian/contracts';
import { AccessScope, Store } from '@meridian/store';

/** Organisation settings: the reporting currency and the precedence of rate sources. */
@Injectable()
export class SettingsService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async get(): Promise<OrgSettings> {
    const { values, updatedAt, updatedBy } = await this.store.settings.all();
    const currency = values.reportingCurrency;
    const sources = Array.isArray(values.rateSources)
      ? values.rateSources.filter((s): s is RateSource => (RATE_SOURCES as readonly string[]).includes(s))
      : [];
    return {
      reportingCurrency: typeof currency === 'string' ? currency : null,
      rateSources: sources.length ? sources : [...DEFAULT_RATE_SOURCES],
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
