import { DataSource, Repository } from 'typeorm';
import { OrgSettingEntity } from '../entities/org-setting.entity';
import { AuditRepository } from './audit.repository';

/** Organisation-wide settings as key → JSON value; the api validates them and supplies defaults. */
export class OrgSettingsRepository {
  private readonly repo: Repository<OrgSettingEntity>;

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditRepository,
  ) {
    this.repo = ds.getRepository(OrgSettingEntity);
  }

  async all(): Promise<{ values: Record<string, unknown>; updatedAt: string | null; updatedBy: string | null }> {
    const rows = await this.repo.find();
    const latest = rows.reduce<OrgSettingEntity | null>((a, r) => (!a || r.updatedAt > a.updatedAt ? r : a), null);
    return {
      values: Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown])),
      updatedAt: latest?.updatedAt ?? null,
      updatedBy: latest?.updatedBy ?? null,
    };
  }

  /** Writes the changed keys in one transaction and audits before → after (settings hold no secrets). */
  async update(values: Record<string, unknown>, actor: { userId: string | null }): Promise<void> {
    const before = (await this.all()).values;
    const changed = Object.keys(values).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(values[k]));
    if (!changed.length) return;
    const at = new Date().toISOString();
    await this.ds.transaction((em) =>
      em
        .getRepository(OrgSettingEntity)
        .save(changed.map((key) => ({ key, value: JSON.stringify(values[key]), updatedAt: at, updatedBy: actor.userId }))),
    );
    await this.audit.record({
      userId: actor.userId,
      action: 'settings.update',
      details: Object.fromEntries(changed.map((k) => [k, { from: before[k] ?? null, to: values[k] }])),
    });
  }
}
