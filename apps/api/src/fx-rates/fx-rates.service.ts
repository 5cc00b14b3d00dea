import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ApiError, FxImportResult, FxRateDto, FxRatesQuery, FxRateWrite } from '@meridian/contracts';
import { monthlyRatesFromEcbCsv } from '@meridian/finops';
import { AccessScope, LockedRateError, Store } from '@meridian/store';
import { apiToday } from '../common/clock';

type Actor = { userId: string };

/** The organisation's rate table: read by anyone who reads costs, written by finance for all accounts. */
@Injectable()
export class FxRatesService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async list(q: FxRatesQuery): Promise<{ items: FxRateDto[] }> {
    return { items: await this.store.fxRates.list(q) };
  }

  async write(scope: AccessScope, body: FxRateWrite, actor: Actor): Promise<{ written: number; unchanged: number }> {
    this.requireOrganisationWide(scope);
    return this.locked(() => this.store.fxRates.upsert(body.rates.map((r) => ({ ...r, source: 'manual' })), this.currentMonth(), actor));
  }

  /** ECB reference rates CSV (eurofxref-hist.csv layout) → monthly means as EUR→currency. */
  async importEcb(scope: AccessScope, csv: unknown, actor: Actor): Promise<FxImportResult> {
    this.requireOrganisationWide(scope);
    if (typeof csv !== 'string' || !csv.trim()) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'Send the CSV as the body with Content-Type: text/csv', issues: [{ field: '(body)', message: 'expected text/csv in the ECB reference-rate layout' }] } satisfies ApiError);
    }
    const { rates, errors } = monthlyRatesFromEcbCsv(csv);
    if (errors.length) {
      const issues = errors.slice(0, 50).map((e) => ({ field: `line ${e.line}`, message: e.message }));
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `Invalid CSV: ${errors.length} problem(s), nothing imported`, issues } satisfies ApiError);
    }
    const result = await this.locked(() => this.store.fxRates.upsert(rates.map((r) => ({ ...r, source: 'ecb-csv' })), this.currentMonth(), actor));
    return { ...result, months: new Set(rates.map((r) => r.period)).size, currencies: [...new Set(rates.map((r) => r.quote))].sort() };
  }

  async remove(scope: AccessScope, key: { base: string; quote: string; period: string }, actor: Actor): Promise<void> {
    this.requireOrganisationWide(scope);
    const removed = await this.locked(() => this.store.fxRates.remove(key, actor));
    if (!removed) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `no rate ${key.base}/${key.quote} for ${key.period}` });
  }

  /** Opening a closed month's rate for correction is the owner's call, and audited. */
  async unlock(principal: { isOwner: boolean }, key: { base: string; quote: string; period: string }, actor: Actor): Promise<void> {
    if (!principal.isOwner) throw new ForbiddenException('only the owner unlocks the rate of a closed month');
    if (!(await this.store.fxRates.unlock(key, actor))) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `no rate ${key.base}/${key.quote} for ${key.period}` });
  }

  private requireOrganisationWide(scope: AccessScope): void {
    if (scope.ids() !== undefined) throw new ForbiddenException('the rate table applies to every account: it needs finance or admin on all accounts');
  }

  private currentMonth(): string {
    return apiToday().slice(0, 7);
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof LockedRateError) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: err.message, locked: err.rates });
      throw err;
    }
  }
}
