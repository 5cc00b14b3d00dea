import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { AppliedRateDto, MissingRatesErrorBody } from '@meridian/contracts';
import { convertAmounts, MissingRatesError, sumDecimals, type MonthAmount } from '@meridian/finops';
import { Store } from '@meridian/store';

/**
 * Converts per-month amounts into a reporting currency with the rate table (DESIGN §6): each
 * month at its own rate; every rate used is listed; a missing rate is a 422 naming each pair and
 * month — never a silent 1.0.
 */
@Injectable()
export class ReportingCurrencyService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async convert<K>(target: string, items: readonly (MonthAmount & { key: K })[]): Promise<{ byKey: Map<K, string>; total: string; ratesUsed: AppliedRateDto[] }> {
    const rates = await this.store.fxRates.list();
    let converted: ReturnType<typeof convertAmounts>;
    try {
      converted = convertAmounts(items, target, rates);
    } catch (err) {
      if (err instanceof MissingRatesError) {
        const body: MissingRatesErrorBody = { statusCode: 422, error: 'Unprocessable Entity', message: err.message, missing: err.missing };
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
      ratesUsed: converted.applied.map((a) => ({ from: a.from, to: a.to, period: a.period, factor: a.factor, how: a.how, locked: a.rates.every((r) => r.locked) })),
    };
  }
}
