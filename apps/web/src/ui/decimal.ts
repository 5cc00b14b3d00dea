/**
 * Exact decimal-string arithmetic for display: the API sends amounts as strings, and the web app
 * adds them (row and column totals) without going through binary floats.
 */
interface Scaled {
  units: bigint;
  scale: number;
}

function parse(value: string): Scaled {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`not a decimal string: ${value}`);
  const frac = m[3] ?? '';
  const units = BigInt(m[2] + frac) * (m[1] ? -1n : 1n);
  return { units, scale: frac.length };
}

function align(a: Scaled, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

function toText({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = scale ? `.${digits.slice(-scale)}` : '';
  return `${negative ? '-' : ''}${int}${frac}`;
}

export function addDecimals(values: readonly string[]): string {
  const parsed = values.map(parse);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  const units = parsed.reduce((sum, p) => sum + align(p, scale), 0n);
  return toText({ units, scale });
}

/** Rounds half away from zero to `places` decimals, as an exact string ("1234.50"). */
export function roundDecimal(value: string, places = 2): string {
  const p = parse(value);
  if (p.scale <= places) return toText({ units: align(p, places), scale: places });
  const divisor = 10n ** BigInt(p.scale - places);
  const negative = p.units < 0n;
  const abs = negative ? -p.units : p.units;
  let q = abs / divisor;
  if ((abs % divisor) * 2n >= divisor) q += 1n;
  return toText({ units: negative && q !== 0n ? -q : q, scale: places });
}

/** "1234567.891" → "1,234,567.89 EUR" (exact rounding, grouping by thousands). */
export function formatMoney(value: string, currency: string): string {
  const [int, frac] = roundDecimal(value, 2).split('.');
  const negative = int.startsWith('-');
  const grouped = (negative ? int.slice(1) : int).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}.${frac} ${currency}`;
}

/** For chart geometry only (bar heights): never used for totals or displayed amounts. */
export function toChartNumber(value: string): number {
  return Number(roundDecimal(value, 2));
}

/** Exact comparison of two decimal strings: negative, zero or positive like a sort comparator. */
export function compareDecimals(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  const scale = Math.max(pa.scale, pb.scale);
  const d = align(pa, scale) - align(pb, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** a − b, exactly. */
export function subtractDecimals(a: string, b: string): string {
  const pb = parse(b);
  return addDecimals([a, toText({ units: -pb.units, scale: pb.scale })]);
}

export const isZero = (v: string) => parse(v).units === 0n;
