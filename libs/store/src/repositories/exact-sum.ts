import { MoneyDecimal, sumDecimals } from '@meridian/finops';

/** Plain decimal text (what the store holds): optional minus, digits, optional fraction. */
const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Exact sum of decimal strings, the same text as finops' `sumDecimals` gives: integer (BigInt)
 * arithmetic at the largest scale of the inputs when no partial sum can need more than
 * MoneyDecimal's 60 significant digits (so decimal.js would not have rounded either); `sumDecimals`
 * otherwise, and for anything but plain decimal text.
 */
export function exactSum(values: readonly string[]): string {
  let scale = 0;
  let intDigits = 0;
  for (const v of values) {
    const m = PLAIN.exec(v);
    if (!m) return sumDecimals(values);
    if (m[3] && m[3].length > scale) scale = m[3].length;
    if (m[2].length > intDigits) intDigits = m[2].length;
  }
  // Every partial sum is below count × 10^intDigits in magnitude.
  if (intDigits + String(values.length).length + scale > MoneyDecimal.precision) return sumDecimals(values);
  let total = 0n;
  for (const v of values) {
    const m = PLAIN.exec(v)!;
    const frac = m[3] ?? '';
    const n = BigInt(m[2] + frac + '0'.repeat(scale - frac.length));
    total += m[1] === '-' ? -n : n;
  }
  if (total === 0n) return '0';
  const negative = total < 0n;
  let text = (negative ? -total : total).toString();
  if (text.length <= scale) text = '0'.repeat(scale - text.length + 1) + text;
  const int = text.slice(0, text.length - scale);
  const frac = text.slice(text.length - scale).replace(/0+$/, '');
  return (negative ? '-' : '') + int + (frac ? `.${frac}` : '');
}
