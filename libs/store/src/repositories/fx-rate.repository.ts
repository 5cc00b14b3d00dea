import { normalizeDecimal, type FxRate } from '@meridian/finops';
import { DataSource, Repository } from 'typeorm';
import { FxRateEntity } from '../entities/fx-rate.entity';
import { AuditRepository } from './audit.repository';
import { WriteLock } from './write-lock';

export class LockedRateError extends Error {
  constructor(readonly rates: { base: string; quote: string; period: string }[]) {
    super(`locked rates (closed months): ${rates.map((r) => `${r.base}/${r.quote} ${r.period}`).join(', ')}; unlock them first`);
  }
}

export interface RateInput {
  base: string;
  quote: string;
  period: string;
  rate: string;
  source: string;
}

/**
 * The rate table. A rate of a month before the current one is locked when written: changing a
 * closed month's figures afterwards is an explicit, audited unlock by the owner.
 */
export class FxRateRepository {
  private readonly repo: Repository<FxRateEntity>;

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditRepository,
    private readonly writeLock: WriteLock,
  ) {
    this.repo = ds.getRepository(FxRateEntity);
  }

  async list(filter: { base?: string; quote?: string; from?: string; to?: string } = {}): Promise<FxRate[]> {
    const rows = await this.repo.find({ order: { period: 'DESC', base: 'ASC', quote: 'ASC' } });
    return rows
      .filter((r) => (!filter.base || r.base === filter.base) && (!filter.quote || r.quote === filter.quote) && (!filter.from || r.period >= filter.from) && (!filter.to || r.period <= filter.to))
      .map((r) => ({ base: r.base, quote: r.quote, period: r.period, rate: normalizeDecimal(String(r.rate)), source: r.source, locked: r.locked }));
  }

  /** Writes rates (all or nothing). Refuses to change a locked rate; writing an identical one is a no-op. */
  async upsert(inputs: readonly RateInput[], currentMonth: string, actor: { userId: string | null }): Promise<{ written: number; unchanged: number }> {
    const result = await this.writeLock.run(() => this.ds.transaction(async (em) => {
      const repo = em.getRepository(FxRateEntity);
      const locked: RateInput[] = [];
      const writes: FxRateEntity[] = [];
      let unchanged = 0;
      for (const r of inputs) {
        const existing = await repo.findOneBy({ base: r.base, quote: r.quote, period: r.period });
        if (existing && normalizeDecimal(String(existing.rate)) === normalizeDecimal(r.rate)) {
          unchanged++;
          continue;
        }
        if (existing?.locked) {
          locked.push(r);
          continue;
        }
        writes.push({ ...r, rate: normalizeDecimal(r.rate), locked: r.period < currentMonth, updatedAt: new Date().toISOString(), updatedBy: actor.userId });
      }
      if (locked.length) throw new LockedRateError(locked);
      for (let i = 0; i < writes.length; i += 200) await repo.save(writes.slice(i, i + 200));
      return { written: writes.length, unchanged, sources: [...new Set(writes.map((w) => w.source))] };
    }));
    if (result.written) await this.audit.record({ userId: actor.userId, action: 'fx.write', details: { rates: result.written, sources: result.sources } });
    return { written: result.written, unchanged: result.unchanged };
  }

  async remove(key: { base: string; quote: string; period: string }, actor: { userId: string | null }): Promise<boolean> {
    const existing = await this.repo.findOneBy(key);
    if (!existing) return false;
    if (existing.locked) throw new LockedRateError([key]);
    await this.repo.delete(key);
    await this.audit.record({ userId: actor.userId, action: 'fx.delete', details: key });
    return true;
  }

  /** Unlocks one closed month's rate so it can be corrected (audited). */
  async unlock(key: { base: string; quote: string; period: string }, actor: { userId: string | null }): Promise<boolean> {
    const result = await this.repo.update(key, { locked: false, updatedAt: new Date().toISOString(), updatedBy: actor.userId });
    if (!result.affected) return false;
    await this.audit.record({ userId: actor.userId, action: 'fx.unlock', details: key });
    return true;
  }
}
