import { spansCovering, spansOfMonth } from './cost-aggregates';
import { CostReadPlan, coversMostOfSpan, lastDayOfMonth, planCostRead, PlannedGroup, wholeMonthsOf } from './cost-read-plan';

describe('wholeMonthsOf', () => {
  it.each([
    ['2026-05-01', '2026-07-31', { from: '2026-05-01', to: '2026-07-31' }],
    ['2026-05-10', '2026-07-20', { from: '2026-06-01', to: '2026-06-30' }],
    ['2026-05-10', '2026-06-30', { from: '2026-06-01', to: '2026-06-30' }],
    ['2026-02-01', '2026-02-28', { from: '2026-02-01', to: '2026-02-28' }],
    ['2028-02-01', '2028-02-28', undefined],
    ['2028-02-01', '2028-02-29', { from: '2028-02-01', to: '2028-02-29' }],
    ['2026-12-01', '2027-01-31', { from: '2026-12-01', to: '2027-01-31' }],
    ['2026-06-03', '2026-06-17', undefined],
    ['2026-06-30', '2026-07-01', undefined],
    ['2026-07-01', '2026-06-30', undefined],
  ])('%s..%s', (from, to, expected) => {
    expect(wholeMonthsOf(from, to)).toEqual(expected);
  });
});

describe('planCostRead', () => {
  const year = ['2025-12-01', '2026-11-30'] as const;
  const partial = ['2026-05-10', '2026-07-20'] as const;
  const plan = (range: readonly [string, string], dims: PlannedGroup[], options = {}): CostReadPlan => planCostRead(range[0], range[1], new Set(dims), options);
  const sources = (p: CostReadPlan) => p.segments.map((s) => `${s.source} ${s.from}..${s.to}`);

  it.each<[string, readonly [string, string], PlannedGroup[], object, string[], string | undefined]>([
    ['service × region over whole months', year, ['service', 'region'], {}, ['monthly 2025-12-01..2026-11-30'], undefined],
    ['service by day', year, ['service', 'day'], {}, ['daily 2025-12-01..2026-11-30'], undefined],
    ['dashboard dimensions over a partial range', partial, ['service'], {}, ['daily 2026-05-10..2026-05-31', 'monthly 2026-06-01..2026-06-30', 'daily 2026-07-01..2026-07-20'], undefined],
    ['service over a year: the resource-group spans', year, ['service'], {}, ['spanResourceGroup 2025-12-01..2026-11-30'], undefined],
    ['customer × subscription per account over two months and some days', ['2026-05-10', '2026-07-31'], ['customer', 'subscription', 'account', 'cloud'], {}, ['daily 2026-05-10..2026-05-31', 'spanResourceGroup 2026-06-01..2026-07-31'], undefined],
    ['service over one month: the monthly rollup', ['2026-06-01', '2026-06-30'], ['service'], {}, ['monthly 2026-06-01..2026-06-30'], undefined],
    ['service over a year with estimates: the monthly rollup', year, ['service'], { includeEstimated: true }, ['monthly 2025-12-01..2026-11-30'], undefined],
    ['service by month over a year: the monthly rollup', year, ['service', 'month'], {}, ['monthly 2025-12-01..2026-11-30'], undefined],
    ['service over a year filtered on an invoice: the monthly rollup', year, ['service', 'invoice'], {}, ['monthly 2025-12-01..2026-11-30'], undefined],
    ['narrow dimensions over a partial range', partial, ['customer'], {}, ['dailyTotal 2026-05-10..2026-05-31', 'monthly 2026-06-01..2026-06-30', 'dailyTotal 2026-07-01..2026-07-20'], undefined],
    ['region over a year: not in the spans', year, ['region'], {}, ['monthly 2025-12-01..2026-11-30'], undefined],
    ['inside one month', ['2026-06-03', '2026-06-17'], ['service'], {}, ['daily 2026-06-03..2026-06-17'], undefined],
    ['the trend by day, all accounts', year, ['day'], {}, ['dailyTotal 2025-12-01..2026-11-30'], undefined],
    ['the trend by day per cloud for some customers and an invoice', year, ['day', 'cloud', 'customer', 'invoice', 'account'], {}, ['dailyTotal 2025-12-01..2026-11-30'], undefined],
    ['by month per account', partial, ['month', 'account'], {}, ['dailyTotal 2026-05-10..2026-05-31', 'monthly 2026-06-01..2026-06-30', 'dailyTotal 2026-07-01..2026-07-20'], undefined],
    ['per customer over a year', year, ['customer'], {}, ['spanResourceGroup 2025-12-01..2026-11-30'], undefined],
    ['the trend by day filtered on a subscription', year, ['day', 'subscription'], {}, ['daily 2025-12-01..2026-11-30'], undefined],
    ['the trend by day per charge type', year, ['day', 'chargeType'], {}, ['daily 2025-12-01..2026-11-30'], undefined],
    ['resource group × service', year, ['resourceGroup', 'service'], {}, ['spanResourceGroup 2025-12-01..2026-11-30'], undefined],
    ['resource group for a customer and a subscription', year, ['resourceGroup', 'customer', 'subscription', 'cloud'], {}, ['spanResourceGroup 2025-12-01..2026-11-30'], undefined],
    ['resource group × region: not in the spans', year, ['resourceGroup', 'region'], {}, ['detail 2025-12-01..2026-11-30'], undefined],
    ['resource group by month: not in the spans', year, ['resourceGroup', 'month'], {}, ['detail 2025-12-01..2026-11-30'], undefined],
    ['resource group with estimates: not in the spans', year, ['resourceGroup'], { includeEstimated: true }, ['detail 2025-12-01..2026-11-30'], undefined],
    ['resource group for a customer-scoped user', year, ['resourceGroup'], { customerScoped: true }, ['spanResourceGroup 2025-12-01..2026-11-30'], undefined],
    ['meter × service per account', year, ['meter', 'service', 'account'], {}, ['spanMeter 2025-12-01..2026-11-30'], undefined],
    ['meter for a customer-scoped user: the meter spans have no customer', year, ['meter'], { customerScoped: true }, ['detail 2025-12-01..2026-11-30'], undefined],
    ['meter per customer: not in the spans', year, ['meter', 'customer'], {}, ['detail 2025-12-01..2026-11-30'], undefined],
    ['meter × resource group: in neither span table', year, ['meter', 'resourceGroup'], {}, ['detail 2025-12-01..2026-11-30'], undefined],
    ['meter over a partial range', partial, ['meter'], {}, ['raw 2026-05-10..2026-05-31', 'spanMeter 2026-06-01..2026-06-30', 'raw 2026-07-01..2026-07-20'], undefined],
    ['meter by day', year, ['meter', 'day'], {}, ['raw 2025-12-01..2026-11-30'], undefined],
    ['tag', year, ['tag'], { tagGrouped: true }, ['tag 2025-12-01..2026-11-30'], 'monthly'],
    ['tag × resource group', year, ['tag', 'resourceGroup'], { tagGrouped: true }, ['tag 2025-12-01..2026-11-30'], 'detail'],
    ['tag × meter', year, ['tag', 'meter'], { tagGrouped: true }, ['raw 2025-12-01..2026-11-30'], undefined],
    ['tag filtered to values', year, ['customer', 'tag'], { tagFilter: ['a'] }, ['tag 2025-12-01..2026-11-30'], undefined],
    ['tag grouped and filtered to values: no untagged bucket', year, ['tag'], { tagGrouped: true, tagFilter: ['a'] }, ['tag 2025-12-01..2026-11-30'], undefined],
    ['tag filtered to the untagged value', year, ['tag'], { tagFilter: ['a', ''] }, ['raw 2025-12-01..2026-11-30'], undefined],
    ['tag inside one month', ['2026-06-03', '2026-06-17'], ['tag'], { tagGrouped: true }, ['raw 2026-06-03..2026-06-17'], undefined],
    ['forced raw', year, ['service'], { raw: true }, ['raw 2025-12-01..2026-11-30'], undefined],
  ])('%s', (_, range, dims, options, expected, untagged) => {
    const p = plan(range, dims, options);
    expect(sources(p)).toEqual(expected);
    expect(p.untaggedFrom).toBe(untagged);
  });
});

describe('lastDayOfMonth', () => {
  it.each([
    ['2026-02-10', '2026-02-28'],
    ['2028-02-01', '2028-02-29'],
    ['2026-12-31', '2026-12-31'],
    ['2026-04-01', '2026-04-30'],
  ])('%s → %s', (day, last) => expect(lastDayOfMonth(day)).toBe(last));
});

describe('coversMostOfSpan', () => {
  it.each([
    // [from, to, lo, hi, expected]
    ['2025-12', '2026-11', '2025-12', '2026-11', true], // the whole year of a year-long table
    ['2026-11', '2026-11', '2025-12', '2026-11', false], // one month of twelve
    ['2026-06', '2026-11', '2025-12', '2026-11', true], // six of twelve: half
    ['2026-07', '2026-11', '2025-12', '2026-11', false], // five of twelve
    ['2020-01', '2030-12', '2025-12', '2026-11', true], // a range wider than the table
    ['2025-01', '2025-06', '2025-12', '2026-11', false], // before the table's first month
    ['2025-12', '2026-11', '2023-12', '2026-11', false], // a year of three
    ['2026-11', '2026-11', '2026-11', '2026-11', true], // a table of one month
    ['2026-11-01', '2026-11-30', '2026-01-01', '2026-12-31', false], // a month of a year's days
    ['2026-07-01', '2026-12-31', '2026-01-01', '2026-12-31', true], // half a year's days (184 of 365)
    ['2025-12-31', '2026-01-01', '2025-12-31', '2026-01-02', true], // across a year's end: 2 of 3 days
  ])('%s..%s of %s..%s → %s', (from, to, lo, hi, expected) => {
    expect(coversMostOfSpan(from, to, lo, hi)).toBe(expected);
  });
});

describe('month spans (decision 0028)', () => {
  it.each([
    ['2026-11', ['2026-11/1', '2026-11/2', '2026-09/4', '2026-09/8']],
    ['2026-01', ['2026-01/1', '2026-01/2', '2026-01/4', '2026-01/8']],
    ['2025-10', ['2025-10/1', '2025-09/2', '2025-09/4', '2025-05/8']],
    ['2000-01', ['2000-01/1', '2000-01/2', '2000-01/4', '2000-01/8']],
    ['1999-12', ['1999-12/1', '1999-11/2', '1999-09/4', '1999-05/8']],
  ])('the spans of %s', (month, expected) => {
    expect(spansOfMonth(month)).toEqual(expected);
  });

  it.each([
    ['2025-12', '2026-11', ['2025-12/1', '2026-01/8', '2026-09/2', '2026-11/1']],
    ['2026-11', '2026-11', ['2026-11/1']],
    ['2026-05', '2026-07', ['2026-05/2', '2026-07/1']],
    ['2025-09', '2026-04', ['2025-09/4', '2026-01/4']],
    ['2024-01', '2026-12', ['2024-01/8', '2024-09/8', '2025-05/8', '2026-01/8', '2026-09/4']],
  ])('%s..%s is covered by %j', (from, to, expected) => {
    expect(spansCovering(from, to)).toEqual(expected);
  });

  it('covers every month once: the spans of a range hold each of its months exactly once', () => {
    const months = (from: string, to: string) => {
      const out: string[] = [];
      for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5)); `${y}-${String(m).padStart(2, '0')}` <= to; m === 12 ? ((m = 1), y++) : m++) out.push(`${y}-${String(m).padStart(2, '0')}`);
      return out;
    };
    for (const [from, to] of [['2023-03', '2026-11'], ['2025-12', '2026-11'], ['2026-02', '2026-02'], ['2019-07', '2021-01']]) {
      const covering = new Set(spansCovering(from, to));
      // Each month of the range lies in exactly one covering span, and no covering span reaches outside it.
      for (const month of months(from, to)) expect(spansOfMonth(month).filter((s) => covering.has(s))).toHaveLength(1);
      for (const month of [...months('2015-01', from).slice(0, -1), ...months(to, '2030-12').slice(1)]) expect(spansOfMonth(month).filter((s) => covering.has(s))).toHaveLength(0);
    }
  });
});
