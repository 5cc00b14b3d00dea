import { MoneyDecimal, normalizeDecimal, toDecimal } from './decimal';

/** The same order as String#localeCompare without arguments, without building that comparison per call. */
const byLocale = new Intl.Collator().compare;

/** One aggregated cell: the group's key values, its currency and the exact sum. */
export interface GroupedAmount<K extends string> {
  keys: Record<K, string>;
  currency: string;
  amount: string;
  count: number;
}

/**
 * Exact group-by-and-sum that never adds two currencies together: the currency is always part of
 * the group key. Feed it rows one by one (it holds one accumulator per group, not the rows).
 */
export class GroupedSum<K extends string> {
  private readonly groups = new Map<string, { keys: Record<K, string>; currency: string; sum: MoneyDecimal; count: number }>();

  constructor(private readonly dimensions: readonly K[]) {}

  /** Adds an amount; `count` is how many source rows it stands for (default 1). */
  add(keys: Record<K, string>, currency: string, amount: string, count = 1): void {
    const id = JSON.stringify([currency, ...this.dimensions.map((d) => keys[d])]);
    const group = this.groups.get(id);
    if (group) {
      group.sum = group.sum.plus(toDecimal(amount));
      group.count += count;
    } else {
      const ownKeys = Object.fromEntries(this.dimensions.map((d) => [d, keys[d]])) as Record<K, string>;
      this.groups.set(id, { keys: ownKeys, currency, sum: toDecimal(amount), count });
    }
  }

  /** Groups sorted by currency, then by amount descending, then by key for a stable order. */
  result(): GroupedAmount<K>[] {
    // Each group's key text is built once, not twice per comparison: a breakdown may have tens of
    // thousands of groups, and this sort runs on the event loop.
    return [...this.groups.values()]
      .map((g) => ({ g, keyText: JSON.stringify(g.keys) }))
      .sort((a, b) => byLocale(a.g.currency, b.g.currency) || b.g.sum.comparedTo(a.g.sum) || byLocale(a.keyText, b.keyText))
      .map(({ g }) => ({ keys: g.keys, currency: g.currency, amount: normalizeDecimal(g.sum), count: g.count }));
  }

  /** Exact total per currency over everything added. */
  totals(): { currency: string; amount: string }[] {
    const byCurrency = new Map<string, MoneyDecimal>();
    for (const g of this.groups.values()) {
      byCurrency.set(g.currency, (byCurrency.get(g.currency) ?? new MoneyDecimal(0)).plus(g.sum));
    }
    return [...byCurrency.entries()]
      .sort(([a], [b]) => byLocale(a, b))
      .map(([currency, sum]) => ({ currency, amount: normalizeDecimal(sum) }));
  }
}
