import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { AppliedRateDto, MissingRatesErrorBody, RateConflict } from '@meridian/contracts';
import { convertAmounts, MissingRatesError, sumDecimals, type MonthAmount } from '@meridian/finops';
import { AccessScope } from '@meridian/store';
import { RateSourcesService } from '../fx-rates/rate-sources.service';

/**
 * Converts per-month amounts into a reporting currency (DESIGN §6) with the organisation's rate
 * sources in precedence order: each month at its own rate; every rate used is listed with its
 * source, legs and lock; a missing rate is a 422 naming each pair and month — never a silent 1.0;
 * months where Microsoft's rates disagree are reported, never averaged.
 */
@Injectable()
export class ReportingCurrencyService {
  constructor(private readonly sources: RateSourcesService) {}

  /** `scope` is the caller's whole scope: Microsoft's rates come from every account they may see, not only the filtered ones. */
  async convert<K>(scope: AccessScope, target: string, items: readonly (MonthAmount & { key: K })[]): Promise<{ byKey: Map<K, string>; total: string; ratesUsed: AppliedRateDto[]; rateConflicts: RateConflict[] }> {
    const periods = [...new Set(items.map((i) => i.period))].sort();
    const { layers, conflicts } = periods.length ? await this.sources.layers(scope, { from: periods[0], to: periods[periods.length - 1] }) : { layers: [], conflicts: [] };
    const rateConflicts = conflicts.filter((c) => periods.includes(c.period));
    let converted: ReturnType<typeof convertAmounts>;
    try {
      converted = convertAmounts(items, target, layers);
    } catch (err) {
      if (err instanceof MissingRatesError) {
        const body: MissingRatesErrorBody = { statusCode: 422, error: 'Unprocessable Entity', message: err.message, missing: err.missing, ...(rateConflicts.length ? { conflicts: rateConflicts } : {}) };
        throw new HttpException(body, HttpStatus.UNPROCESSABLE_ENTITY);
      }
      throw err;
    }
    const parts = new Map<K, string[]>();
    items.forEach((item, i) => parts.set(item.key, [...(parts.get(item.key) ?? []), converted.amounts[i]]));
    const byKey = new Map([...parts].map(([k, v]) => [k, sumDecimals(v)] as const));
    return {
      byKey,
      total: sumDecimals(converted.amounts),
      ratesUsed: converted.applied.map((a) => ({
        from: a.from,
        to: a.to,
        period: a.period,
        factor: a.factor,
        how: a.how,
        source: a.source,
        locked: a.rates.every((r) => r.locked),
        legs: a.rates.map((r) => ({ base: r.base, quote: r.quote, period: r.period, rate: r.rate, source: r.source, locked: r.locked })),
      })),
      rateConflicts,
    };
  }
}
