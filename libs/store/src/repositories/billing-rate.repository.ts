import type { BillingRateObservation } from '@meridian/finops';
import { DataSource } from 'typeorm';
import { AccessScope } from '../access-scope';
import { PENDING_SOURCE } from './cost.repository';
import { QueryCache } from './query-cache';
import { dialectOf, placeholders } from './sql-dialect';

/**
 * Reads the rates Partner Center stamped on synced line items (`x_exchange_rate` =
 * pcToBCExchangeRate, `x_exchange_rate_date`), grouped per account-independent pair, usage month,
 * rate and whether the rows are billed. Derivation and conflict detection are libs/finops'.
 *
 * Scope: the caller's accounts only; a customer-limited account counts whole, because the rate is
 * the account's month rate, not customer data. Estimated legacy rows carry no Microsoft rate.
 */
export class BillingRateRepository {
  constructor(
    private readonly ds: DataSource,
    /** Shared with the cost aggregates: cleared by the same writes. */
    private readonly cache: QueryCache,
  ) {}

  observations(scope: AccessScope, months: { from: string; to: string }): Promise<BillingRateObservation[]> {
    const ids = scope.ids();
    const key = JSON.stringify(['billing-rates', ids ?? '*', months]);
    return this.cache.get(key, () => this.read(ids, months));
  }

  private async read(ids: string[] | undefined, months: { from: string; to: string }): Promise<BillingRateObservation[]> {
    if (ids && !ids.length) return [];
    const dialect = dialectOf(this.ds);
    const params: unknown[] = [`${months.from}-01`, `${months.to}-31`, 'billed', 'unbilled', PENDING_SOURCE];
    let where = `charge_period_start >= ${dialect.param(1)} AND charge_period_start <= ${dialect.param(2)} AND x_source IN (${placeholders(dialect, 3, 2)}) AND pricing_currency <> billing_currency`;
    if (ids) {
      where += ` AND billing_account_id IN (${placeholders(dialect, ids.length, params.length)})`;
      params.push(...ids);
    }
    const rate = dialect.name === 'postgres' ? 'x_exchange_rate::text' : 'x_exchange_rate';
    // The partial covering index (migration 1765152000000) answers this without visiting cost rows;
    // SQLite's planner would rather take the account/day index for a scoped caller, so it is named.
    const table = dialect.name === 'postgres' ? 'cost_line_item' : 'cost_line_item INDEXED BY ix_cost_billing_rate';
    const rows: {
      pricing: string;
      billing: string;
      period: string;
      rate: string;
      rate_date: string;
      billed: number | boolean | string;
      n: number | string;
    }[] = await this.ds.query(
      `SELECT pricing_currency AS pricing, billing_currency AS billing, substr(charge_period_start, 1, 7) AS period, ${rate} AS rate, ` +
        `x_exchange_rate_date AS rate_date, CASE WHEN x_source = 'billed' THEN 1 ELSE 0 END AS billed, count(*) AS n ` +
        `FROM ${table} WHERE ${where} GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 3, 1, 2, 4`,
      params,
    );
    return rows.map((r) => ({
      pricingCurrency: r.pricing,
      billingCurrency: r.billing,
      period: r.period,
      rate: String(r.rate),
      rateDate: r.rate_date,
      billed: Number(r.billed) === 1,
      rows: Number(r.n),
    }));
  }
}
