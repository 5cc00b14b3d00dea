import { hash } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

const GRAIN = ['charge_period_start', 'billing_account_id', 'billing_period_start', 'x_cloud', 'x_customer_id', 'invoice_id', 'x_source', 'billing_currency'];
const AMOUNTS = ['billed_l0', 'billed_l1', 'billed_l2', 'list_l0', 'list_l1', 'list_l2', 'row_count'];
/** Groups inserted per statement while filling the table (within SQLite's and PostgreSQL's parameter limits). */
const INSERT_BATCH = 500;

/**
 * The daily totals (cost_daily_total, decision 0017 addendum): the daily rollup summed over the narrow
 * dimensions only, so a trend by day reads a few thousand rows a month instead of one per
 * subscription × service × region. Filled here from the daily rollup, one account's billing period
 * at a time (not from the raw rows: months whose raw rows a retention setting removed keep their
 * aggregates); agg_key is the md5 of the grain's values joined by U+0001, as AggregateWriter keys it.
 */
export class DailyTotals1765497600000 implements MigrationInterface {
  name = 'DailyTotals1765497600000';

  async up(qr: QueryRunner): Promise<void> {
    const postgres = qr.connection.options.type === 'postgres';
    const columns = [
      'charge_period_start varchar(10) NOT NULL',
      'agg_key varchar(22) NOT NULL',
      'billing_account_id varchar(64) NOT NULL',
      'billing_period_start varchar(10) NOT NULL',
      'x_cloud varchar(16) NOT NULL',
      'x_customer_id varchar(64) NOT NULL',
      'invoice_id varchar(64) NOT NULL',
      'x_source varchar(16) NOT NULL',
      'billing_currency varchar(3) NOT NULL',
      ...AMOUNTS.map((c) => `${c} bigint NOT NULL DEFAULT 0`),
    ];
    await qr.query(`CREATE TABLE cost_daily_total (${columns.join(', ')}, PRIMARY KEY (charge_period_start, agg_key))`);
    await qr.query('CREATE INDEX ix_cost_daily_total_account_period ON cost_daily_total (billing_account_id, billing_period_start, x_source)');

    const p = (n: number) => (postgres ? `$${n}` : '?');
    const periods: { a: string; p: string }[] = await qr.query('SELECT DISTINCT billing_account_id AS a, billing_period_start AS p FROM cost_daily_rollup');
    const sums = AMOUNTS.map((c) => `CAST(SUM(${c}) AS TEXT) AS ${c}`).join(', ');
    for (const period of periods) {
      const groups: Record<string, string>[] = await qr.query(
        `SELECT ${GRAIN.join(', ')}, ${sums} FROM cost_daily_rollup WHERE billing_account_id = ${p(1)} AND billing_period_start = ${p(2)} GROUP BY ${GRAIN.join(', ')}`,
        [period.a, period.p],
      );
      const width = 1 + GRAIN.length + AMOUNTS.length;
      for (let i = 0; i < groups.length; i += INSERT_BATCH) {
        const chunk = groups.slice(i, i + INSERT_BATCH);
        const tuples = chunk.map((_, r) => `(${Array.from({ length: width }, (__, c) => p(r * width + c + 1)).join(', ')})`).join(', ');
        const values = chunk.flatMap((g) => [hash('md5', GRAIN.map((c) => String(g[c])).join('\u0001'), 'base64url'), ...GRAIN.map((c) => g[c]), ...AMOUNTS.map((c) => g[c])]);
        await qr.query(`INSERT INTO cost_daily_total (agg_key, ${GRAIN.join(', ')}, ${AMOUNTS.join(', ')}) VALUES ${tuples}`, values);
      }
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE cost_daily_total');
  }
}
