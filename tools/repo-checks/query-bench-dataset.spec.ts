import { createHash } from 'node:crypto';
import * as path from 'node:path';

/**
 * The query benchmark's data generator (bench/query/dataset.cjs) at its smallest size: the structure
 * issue 15 asks for must hold, so that the benchmark's figures keep meaning the same thing.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dataset = require(path.resolve(__dirname, '../../bench/query/dataset.cjs'));

interface Row {
  billingAccountId: string;
  xNaturalKey: string;
  xCustomerId: string;
  subAccountId: string;
  xResourceGroup: string;
  resourceId: string;
  regionId: string;
  serviceName: string;
  xMeterId: string;
  billingCurrency: string;
  chargePeriodStart: string;
  billingPeriodStart: string;
  consumedQuantity: string;
  xUnitPrice: string;
  billedCost: string;
  xListCost: string;
  tags: string;
}

const ROWS = dataset.MIN_ROWS;

function generate(seed: number, pageSize = 2000): Row[] {
  const rows: Row[] = [];
  for (const page of dataset.pages(dataset.buildCatalog(seed, ROWS), pageSize)) rows.push(...page);
  return rows;
}

/** Every key mapped to exactly one value: throws naming the first key seen with two. */
function expectFunctional(rows: Row[], key: (r: Row) => string, value: (r: Row) => string, what: string): Map<string, string> {
  const seen = new Map<string, string>();
  for (const r of rows) {
    const k = key(r);
    const v = value(r);
    const before = seen.get(k);
    if (before !== undefined && before !== v) throw new Error(`${what}: ${k} has ${before} and ${v}`);
    seen.set(k, v);
  }
  return seen;
}

const rows = generate(42);

describe('query benchmark dataset', () => {
  it('makes exactly the rows asked for, each with its own natural key', () => {
    expect(rows).toHaveLength(ROWS);
    expect(new Set(rows.map((r) => `${r.billingAccountId}|${r.xNaturalKey}`)).size).toBe(ROWS);
  });

  it('reaches every cardinality of issue 15', () => {
    const distinct = (f: (r: Row) => string) => new Set(rows.map(f)).size;
    const c = dataset.CARDINALITY;
    expect(distinct((r) => r.billingAccountId)).toBe(c.accounts);
    expect(distinct((r) => r.billingCurrency)).toBe(c.currencies);
    expect(distinct((r) => r.xCustomerId)).toBe(c.customers);
    expect(distinct((r) => r.subAccountId)).toBe(c.subscriptions);
    expect(distinct((r) => r.xResourceGroup)).toBe(c.resourceGroups);
    expect(distinct((r) => r.xMeterId)).toBe(c.meters);
    expect(distinct((r) => r.regionId)).toBe(c.regions);
    expect(distinct((r) => r.serviceName)).toBe(c.services);
    expect(distinct((r) => r.billingPeriodStart)).toBe(c.months);
    const tagValues = new Map<string, Set<string>>();
    for (const r of rows)
      for (const [k, v] of Object.entries(JSON.parse(r.tags) as Record<string, string>))
        tagValues.set(k, (tagValues.get(k) ?? new Set()).add(v));
    expect(tagValues.size).toBe(c.tagKeys);
    for (const values of tagValues.values()) expect(values.size).toBe(c.tagValuesPerKey);
  });

  it('nests account → customer → subscription → resource group → resource, and a meter belongs to one service', () => {
    expectFunctional(
      rows,
      (r) => r.billingAccountId,
      (r) => r.billingCurrency,
      'an account bills in one currency',
    );
    expectFunctional(
      rows,
      (r) => r.xCustomerId,
      (r) => r.billingAccountId,
      'a customer belongs to one account',
    );
    expectFunctional(
      rows,
      (r) => r.subAccountId,
      (r) => r.xCustomerId,
      'a subscription belongs to one customer',
    );
    expectFunctional(
      rows,
      (r) => r.xResourceGroup,
      (r) => r.subAccountId,
      'a resource group lives in one subscription',
    );
    expectFunctional(
      rows,
      (r) => r.resourceId,
      (r) => `${r.xResourceGroup}|${r.regionId}|${r.tags}`,
      'a resource has one group, region and tag set',
    );
    expectFunctional(
      rows,
      (r) => r.xMeterId,
      (r) => r.serviceName,
      'a meter belongs to one service',
    );
  });

  it('has some resources untagged and some keys missing', () => {
    const tagCounts = rows.map((r) => Object.keys(JSON.parse(r.tags)).length);
    expect(tagCounts.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(tagCounts.filter((n) => n > 0 && n < dataset.CARDINALITY.tagKeys).length).toBeGreaterThan(0);
  });

  it('repeats a resource × meter every day of its life, one line a day', () => {
    const days = new Map<string, string[]>();
    for (const r of rows) {
      const k = `${r.resourceId}|${r.xMeterId}`;
      const list = days.get(k);
      if (list) list.push(r.chargePeriodStart);
      else days.set(k, [r.chargePeriodStart]);
    }
    for (const [k, list] of days) {
      const sorted = [...list].sort();
      expect(new Set(sorted).size).toBe(sorted.length);
      const span = (Date.parse(sorted.at(-1)!) - Date.parse(sorted[0])) / 86_400_000 + 1;
      if (span !== sorted.length) throw new Error(`${k}: ${sorted.length} lines over ${span} days`);
    }
  });

  it('writes exact decimal amounts: cost = quantity × unit price, to the last digit', () => {
    const decimal = /^\d+(\.\d{1,10})?$/;
    const units = (s: string, scale: number) => {
      const [int, frac = ''] = s.split('.');
      return BigInt(int + frac.padEnd(scale, '0'));
    };
    for (const r of rows.slice(0, 2000)) {
      for (const v of [r.consumedQuantity, r.xUnitPrice, r.billedCost, r.xListCost]) expect(v).toMatch(decimal);
      expect(units(r.billedCost, 10)).toBe(units(r.consumedQuantity, 4) * units(r.xUnitPrice, 6));
    }
  });

  it('puts a few big customers ahead of a long tail', () => {
    const linesPerCustomer = new Map<string, number>();
    for (const r of rows) linesPerCustomer.set(r.xCustomerId, (linesPerCustomer.get(r.xCustomerId) ?? 0) + 1);
    const sorted = [...linesPerCustomer.values()].sort((a, b) => b - a);
    const topTenth = sorted.slice(0, sorted.length / 10).reduce((a, b) => a + b, 0);
    expect(topTenth / ROWS).toBeGreaterThan(0.3);
  });

  it('is the same from the same seed whatever the page size, and different from another seed', () => {
    const digest = (list: Row[]) => createHash('sha256').update(JSON.stringify(list)).digest('hex');
    expect(digest(generate(42, 777))).toBe(digest(rows));
    expect(digest(generate(43))).not.toBe(digest(rows));
  });
});
