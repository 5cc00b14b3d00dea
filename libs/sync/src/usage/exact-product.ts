import { MoneyDecimal, normalizeDecimal, toDecimal } from '@meridian/finops';

/** Canonical decimal text as the client hands it over (DecimalString): no exponent, no "+". */
const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;

interface Scaled {
  negative: boolean;
  digits: string;
  scale: number;
  /** Significant digits of `digits`. */
  significant: number;
}

function scaled(value: string): Scaled | undefined {
  const m = PLAIN.exec(value);
  if (!m) return undefined;
  const digits = m[2] + (m[3] ?? '');
  let lead = 0;
  while (lead < digits.length - 1 && digits.charCodeAt(lead) === 48) lead++;
  return { negative: m[1] === '-', digits, scale: m[3]?.length ?? 0, significant: digits === '0'.repeat(digits.length) ? 0 : digits.length - lead };
}

/**
 * quantity × unit price × exchange rate, exactly, as the canonical text `normalizeDecimal` gives
 * for the same product in MoneyDecimal (60 significant digits). Integer (BigInt) arithmetic when
 * the product cannot need more than 60 digits, so decimal.js would not have rounded either;
 * decimal.js otherwise. Same result in every case (usage-line-item.mapper.spec.ts).
 */
export function exactProduct(a: string, b: string, c: string): string {
  const x = scaled(a);
  const y = scaled(b);
  const z = scaled(c);
  if (!x || !y || !z || x.significant + y.significant + z.significant > MoneyDecimal.precision) {
    return normalizeDecimal(toDecimal(a).times(toDecimal(b)).times(toDecimal(c)));
  }
  const product = BigInt(x.digits) * BigInt(y.digits) * BigInt(z.digits);
  if (product === 0n) return '0';
  const scale = x.scale + y.scale + z.scale;
  let text = product.toString();
  if (text.length <= scale) text = '0'.repeat(scale - text.length + 1) + text;
  let int = text.slice(0, text.length - scale);
  let frac = text.slice(text.length - scale);
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  int = int.replace(/^0+(?=\d)/, '');
  const negative = x.negative !== y.negative !== z.negative;
  return (negative ? '-' : '') + int + (frac ? `.${frac}` : '');
}
