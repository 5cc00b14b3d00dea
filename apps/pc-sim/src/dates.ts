/** UTC calendar helpers. Days are integers: days since 1970-01-01 (UTC). */
export const DAY_MS = 86_400_000;

export function dayOf(d: Date): number {
  return Math.floor(d.getTime() / DAY_MS);
}

export function dayToDate(day: number): Date {
  return new Date(day * DAY_MS);
}

/** `YYYY-MM-DD` */
export function dayToYmd(day: number): string {
  return dayToDate(day).toISOString().slice(0, 10);
}

/** `YYYY-MM-DDT00:00:00Z` (Partner Center style, no milliseconds) */
export function dayToIso(day: number): string {
  return `${dayToYmd(day)}T00:00:00Z`;
}

/** Parses a strict `YYYY-MM-DD`; returns null when malformed or not a real date. */
export function parseYmd(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  const d = new Date(t);
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null;
  return t / DAY_MS;
}

/** Day number of the first day of the month containing `day`. */
export function monthStart(day: number): number {
  const d = dayToDate(day);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
}

/** Day number of the first day of the month after the one containing `day`. */
export function nextMonthStart(day: number): number {
  const d = dayToDate(day);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS;
}

/** Month key `YYYYMM` as an integer, for hashing. */
export function monthKey(day: number): number {
  const d = dayToDate(day);
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}

/** 0 = Sunday … 6 = Saturday */
export function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = dayOfWeek(day);
  return w === 0 || w === 6;
}
