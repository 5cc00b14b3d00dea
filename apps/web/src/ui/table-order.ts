import { addDecimals, compareDecimals } from './decimal';

/** An exact amount with its currency: sorted and summed only with amounts of the same currency. */
export interface MoneyValue {
  amount: string;
  currency: string;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Ascending order of two plain values: missing last, decimal strings exactly, text by locale. */
export function compareValues(a: string | number | null | undefined, b: string | number | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const sa = String(a);
  const sb = String(b);
  if (DECIMAL.test(sa) && DECIMAL.test(sb)) return compareDecimals(sa, sb);
  return collator.compare(sa, sb);
}

/** Money: currencies never compared with each other (grouped alphabetically), amounts exactly. */
export function compareMoney(a: MoneyValue | null | undefined, b: MoneyValue | null | undefined): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  return a.currency.localeCompare(b.currency) || compareDecimals(a.amount, b.amount);
}

/** Per-currency sums of a money column, currencies in alphabetical order, exact. */
export function totalsByCurrency<T>(rows: readonly T[], money: (row: T) => MoneyValue | null | undefined): MoneyValue[] {
  const by = new Map<string, string[]>();
  for (const r of rows) {
    const m = money(r);
    if (m) by.set(m.currency, [...(by.get(m.currency) ?? []), m.amount]);
  }
  return [...by]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amounts]) => ({ currency, amount: addDecimals(amounts) }));
}
