import { isCanonicalDecimal, MoneyDecimal, normalizeDecimal, sumDecimals, toDecimal } from './decimal';

/** String#localeCompare (V8 compares ASCII text without ICU: faster than an Intl.Collator's compare). */
const byLocale = (a: string, b: string): number => a.localeCompare(b);

/** One aggregated cell: the group's key values, its currency and the exact sum. */
export interface GroupedAmount<K extends string> {
  keys: Record<K, string>;
  currency: string;
  amount: string;
  count: number;
}

interface Group<K extends string> {
  keys: Record<K, string>;
  currency: string;
  /** The one amount added so far, as given (a group fed once needs no arithmetic). */
  single?: string;
  /** The sum once a second amount arrived. */
  sum?: MoneyDecimal;
  count: number;
}

/**
 * Exact group-by-and-sum that never adds two currencies together: the currency is always part of
 * the group key. Feed it rows one by one (it holds one accumulator per group, not the rows).
 *
 * Breakdowns feed it cells the database already grouped (one amount per group) and it runs on the
 * event loop for tens of thousands of them: a group fed once keeps its text, and the sort compares
 * amounts as binary floats first — exact, because rounding to a double never reverses an order
 * (a < b ⇒ double(a) ≤ double(b)), so only equal doubles need the exact comparison.
 */
export class GroupedSum<K extends string> {
  private readonly groups = new Map<string, Group<K>>();

  constructor(private readonly dimensions: readonly K[]) {}

  /** Adds an amount; `count` is how many source rows it stands for (default 1). */
  add(keys: Record<K, string>, currency: string, amount: string, count = 1): void {
    // Each value with its length before it: unambiguous whatever the text holds, and half the cost
    // of JSON.stringify on an array per cell (a year by resource group is ~16k cells).
    const dimensions = this.dimensions;
    let id = `${currency.length}:${currency}`;
    for (let i = 0; i < dimensions.length; i++) {
      const value = keys[dimensions[i]] as string | null | undefined;
      // A missing value (JavaScript callers) is its own group, apart from ''.
      id += value === undefined || value === null ? '~' : `${value.length}:${value}`;
    }
    const group = this.groups.get(id);
    if (group) {
      group.sum = (group.sum ?? toDecimal(group.single!)).plus(toDecimal(amount));
      group.single = undefined;
      group.count += count;
    } else {
      // Validated now, as a decimal would be: a bad amount fails where it is added.
      if (!isCanonicalDecimal(amount)) toDecimal(amount);
      const ownKeys = {} as Record<K, string>;
      for (let i = 0; i < dimensions.length; i++) ownKeys[dimensions[i]] = keys[dimensions[i]];
      this.groups.set(id, { keys: ownKeys, currency, single: amount, count });
    }
  }

  /** Groups sorted by currency, then by amount descending, then by key for a stable order. */
  result(): GroupedAmount<K>[] {
    return sortedAmounts([...this.groups.values()].map(rankedOf));
  }

  /**
   * The same as `result`, with `pause` awaited every `every` groups while their amounts are
   * normalized: a year of resource groups at 10M rows is ~16k groups, tens of milliseconds in one
   * go. The sort is one step (a few milliseconds: doubles compared).
   */
  async resultInSlices(pause: () => Promise<void>, every: number): Promise<GroupedAmount<K>[]> {
    const rows: Ranked<K>[] = [];
    for (const g of this.groups.values()) {
      if (rows.length > 0 && rows.length % every === 0) await pause();
      rows.push(rankedOf(g));
    }
    await pause();
    return sortedAmounts(rows);
  }

  /** Exact total per currency over everything added. */
  totals(): { currency: string; amount: string }[] {
    const byCurrency = new Map<string, string[]>();
    for (const g of this.groups.values()) {
      const amount = g.sum ? normalizeDecimal(g.sum) : g.single!;
      const amounts = byCurrency.get(g.currency);
      if (amounts) amounts.push(amount);
      else byCurrency.set(g.currency, [amount]);
    }
    return [...byCurrency.entries()]
      .sort(([a], [b]) => byLocale(a, b))
      .map(([currency, amounts]) => ({ currency, amount: sumDecimals(amounts) }));
  }
}

/** A group with its amount text and double, computed once per group, not per comparison. */
interface Ranked<K extends string> {
  g: Group<K>;
  amount: string;
  approx: number;
  keyText?: string;
}

function rankedOf<K extends string>(g: Group<K>): Ranked<K> {
  const amount = g.sum ? normalizeDecimal(g.sum) : normalizeDecimal(g.single!);
  return { g, amount, approx: Number(amount) };
}

function sortedAmounts<K extends string>(rows: Ranked<K>[]): GroupedAmount<K>[] {
  // The key text only for the few groups whose amounts tie, once each.
  const keyText = (r: Ranked<K>) => (r.keyText ??= JSON.stringify(r.g.keys));
  rows.sort(
    (a, b) =>
      // Nearly every comparison is within one currency: equal text needs no locale comparison.
      (a.g.currency === b.g.currency ? 0 : byLocale(a.g.currency, b.g.currency)) ||
      (b.approx !== a.approx ? (b.approx > a.approx ? 1 : -1) : toDecimal(b.amount).comparedTo(toDecimal(a.amount))) ||
      byLocale(keyText(a), keyText(b)),
  );
  return rows.map(({ g, amount }) => ({ keys: g.keys, currency: g.currency, amount, count: g.count }));
}
