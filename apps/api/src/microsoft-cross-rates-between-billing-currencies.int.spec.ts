import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import type { BillingRatesResponse, BreakdownResponse, CostSummaryResponse, LineItemPage } from '@meridian/contracts';
import { MoneyDecimal, sumDecimals, toDecimal } from '@meridian/finops';
import { startSimulator } from '@meridian/pc-sim';
import { apiConfigFromEnv } from './api.config';
import { createApiApp } from './bootstrap';
import { ApiSession } from './testing/api-session';

const NOW = new Date('2026-11-25T12:00:00Z');
const WINDOW = 'from=2026-10-01&to=2026-11-24';
const MONTHS = [
  ['2026-10', 'from=2026-10-01&to=2026-10-31'],
  ['2026-11', 'from=2026-11-01&to=2026-11-24'],
] as const;
const OWNER_PASSWORD = 'correct horse battery staple';

/** (P→Y) / (P→X) as decision 0018 defines a cross rate: one exact quotient, half-even to 12 places. */
const quotient = (num: string, den: string) =>
  toDecimal(num)
    .dividedBy(toDecimal(den))
    .toDecimalPlaces(12, MoneyDecimal.ROUND_HALF_EVEN)
    .toFixed()
    .replace(/\.?0+$/, '');

/**
 * Microsoft's cross rates between two billing currencies, end to end (decision 0018): the simulator's
 * `currencies` profile has four global accounts priced in USD and billed in USD, EUR, GBP and CNY.
 * They are synced by the real worker into the real store, and read through the api; the simulator's
 * configured monthly rates (`GET /_sim/exchange-rates`) are the ground truth.
 */
describe('Microsoft cross rates between billing currencies, from the simulator through the api', () => {
  const savedEnv = { ...process.env };
  let sim: { url: string; close(): Promise<void> };
  let app: INestApplication;
  let dataDir: string;
  let owner: ApiSession;
  const get = <T>(p: string) => owner.get<T>(p);
  /** The simulator's rate USD → currency per month (its configuration, not derived from anything). */
  let truth: Map<string, string>;
  const leg = (currency: string, period: string) => (currency === 'USD' ? '1' : truth.get(`${currency}@${period}`)!);

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: NOW, graphDelaySeconds: 0, profile: 'currencies' });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-cross-rates-'));
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'MERIDIAN_SECRET_KEY']) delete process.env[k];
    Object.assign(process.env, {
      MERIDIAN_DATA_DIR: dataDir,
      MERIDIAN_NOW: NOW.toISOString(),
      MERIDIAN_OWNER_EMAIL: 'owner@example.test',
      MERIDIAN_OWNER_PASSWORD: OWNER_PASSWORD,
    });
    app = await createApiApp({
      ...apiConfigFromEnv(),
      port: 0,
      host: '127.0.0.1',
      demoSimUrl: sim.url,
      webDist: path.join(dataDir, 'no-web'),
    });
    app.useLogger(false);
    await app.listen(0, '127.0.0.1');
    owner = await ApiSession.login((await app.getUrl()).replace('[::1]', '127.0.0.1'), 'owner@example.test', OWNER_PASSWORD);
    await owner.waitForDemoSync(180_000, 4);
    const { items } = (await (await fetch(`${sim.url}/_sim/exchange-rates?from=2026-10&to=2026-11`)).json()) as {
      items: { pricingCurrency: string; billingCurrency: string; period: string; rate: string }[];
    };
    truth = new Map(items.filter((i) => i.billingCurrency !== 'USD').map((i) => [`${i.billingCurrency}@${i.period}`, i.rate]));
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await sim?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.env = savedEnv;
  });

  it('derives each leg exactly as the simulator set it, and each cross rate as the quotient of its two legs', async () => {
    // Three billing currencies priced in USD, two months: six legs, all different.
    expect([...truth.keys()].sort()).toEqual(['CNY@2026-10', 'CNY@2026-11', 'EUR@2026-10', 'EUR@2026-11', 'GBP@2026-10', 'GBP@2026-11']);
    expect(new Set(truth.values()).size).toBe(6);
    const { status, body } = await get<BillingRatesResponse>('/api/fx-rates/billing?from=2026-10&to=2026-11');
    expect(status).toBe(200);
    expect(body.conflicts).toEqual([]);
    const legs = body.rates.map((r) => [r.base, r.quote, r.period, r.rate, r.source]).sort();
    expect(legs).toEqual([...truth].map(([key, rate]) => ['USD', ...key.split('@'), rate, 'microsoft']).sort());

    // Every ordered pair of billing currencies in each month, through USD, and nothing else.
    const expected = MONTHS.flatMap(([period]) =>
      ['CNY', 'EUR', 'GBP'].flatMap((from) =>
        ['CNY', 'EUR', 'GBP']
          .filter((to) => to !== from)
          .map((to) => [from, to, period, quotient(leg(to, period), leg(from, period)), 'USD', 'microsoft']),
      ),
    );
    expect(body.crossRates.map((c) => [c.base, c.quote, c.period, c.rate, c.via, c.source]).sort()).toEqual(expected.sort());
    // The example of the issue: CNY → EUR is (USD→EUR) / (USD→CNY), not a rounded product of inverses.
    const cnyEur = body.crossRates.find((c) => c.base === 'CNY' && c.quote === 'EUR' && c.period === '2026-10')!;
    expect(cnyEur.rate).toBe(quotient(truth.get('EUR@2026-10')!, truth.get('CNY@2026-10')!));
    expect(
      toDecimal(cnyEur.rate)
        .times(toDecimal(truth.get('CNY@2026-10')!))
        .minus(toDecimal(truth.get('EUR@2026-10')!))
        .abs()
        .lte('1e-11'),
    ).toBe(true);
  });

  it('consolidates four billing currencies into EUR: the total equals every line item converted at its factor, and the per-currency totals converted', async () => {
    const { status, body } = await get<CostSummaryResponse>(`/api/costs/summary?${WINDOW}&currency=EUR`);
    expect(status).toBe(200);
    const r = body.reporting!;
    expect(r.rateConflicts).toEqual([]);
    // The factors used: USD → EUR is the leg itself; GBP and CNY → EUR cross through USD.
    const factorOf = (from: string, period: string) =>
      from === 'USD' ? leg('EUR', period) : quotient(leg('EUR', period), leg(from, period));
    expect(r.ratesUsed.map((u) => [u.from, u.to, u.period, u.factor, u.source, u.how]).sort()).toEqual(
      MONTHS.flatMap(([period]) =>
        ['CNY', 'GBP', 'USD'].map((from) => [
          from,
          'EUR',
          period,
          factorOf(from, period),
          'microsoft',
          from === 'USD' ? 'direct' : 'via USD',
        ]),
      ).sort(),
    );
    for (const u of r.ratesUsed.filter((x) => x.from !== 'USD')) {
      expect(u.legs.map((l) => [l.base, l.quote, l.rate]).sort()).toEqual(
        [
          ['USD', 'EUR', leg('EUR', u.period)],
          ['USD', u.from, leg(u.from, u.period)],
        ].sort(),
      );
    }

    // Line by line: each line item's exact amount × the factor of its currency and month.
    const converted: string[] = [];
    const currencies = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: LineItemPage } = await get<LineItemPage>(
        `/api/costs/line-items?${WINDOW}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const item of page.body.items) {
        currencies.add(item.currency);
        converted.push(
          item.currency === 'EUR'
            ? item.amount
            : toDecimal(item.amount)
                .times(toDecimal(factorOf(item.currency, item.day.slice(0, 7))))
                .toFixed(),
        );
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    expect([...currencies].sort()).toEqual(['CNY', 'EUR', 'GBP', 'USD']);
    expect(r.total).toBe(sumDecimals(converted));

    // … and the per-currency totals of each month, each converted at its factor.
    const perCurrency: string[] = [];
    for (const [period, w] of MONTHS) {
      const { totals } = (await get<BreakdownResponse>(`/api/costs/breakdown?groupBy=account&${w}`)).body;
      expect(totals.map((t) => t.currency)).toEqual(['CNY', 'EUR', 'GBP', 'USD']);
      for (const t of totals)
        perCurrency.push(
          t.currency === 'EUR'
            ? t.amount
            : toDecimal(t.amount)
                .times(toDecimal(factorOf(t.currency, period)))
                .toFixed(),
        );
    }
    expect(r.total).toBe(sumDecimals(perCurrency));
  });
});
