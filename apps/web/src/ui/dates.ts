import { resolveDatePreset, type DatePreset } from '@meridian/contracts';

/** Date presets of the filters, in UTC days (YYYY-MM-DD), resolved like the API resolves them. */
export const today = (d = new Date()) => d.toISOString().slice(0, 10);
export const thisMonth = (d = new Date()) => today(d).slice(0, 7);

export const PRESETS: { id: DatePreset; label: string }[] = [
  { id: 'mtd', label: 'Month to date' },
  { id: 'last-month', label: 'Last month' },
  { id: 'last-3-months', label: 'Last 3 months' },
  { id: 'last-6-months', label: 'Last 6 months' },
  { id: 'last-12-months', label: 'Last 12 months' },
];

export function presetRange(preset: DatePreset, now = new Date()): { from: string; to: string } {
  return resolveDatePreset(preset, today(now));
}

export const isPreset = (v: string | null): v is DatePreset => PRESETS.some((p) => p.id === v);

/** Default view: from the first of the previous month to today (both unbilled periods). */
export function defaultRange(now = new Date()): { from: string; to: string } {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { from: today(first), to: today(now) };
}

/** "2026-11" → "November 2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export const shiftMonth = (month: string, offset: number): string => {
  const [y, m] = month.split('-').map(Number);
  const i = y * 12 + m - 1 + offset;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
};

export const dateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : 'never');
