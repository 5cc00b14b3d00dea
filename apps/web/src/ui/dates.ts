/** Date presets of the filters, in UTC days (YYYY-MM-DD). */
const day = (d: Date) => d.toISOString().slice(0, 10);
const monthStart = (y: number, m: number) => new Date(Date.UTC(y, m, 1));

export type Preset = 'this-month' | 'last-month' | 'last-3-months';

export function presetRange(preset: Preset, today = new Date()): { from: string; to: string } {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  switch (preset) {
    case 'this-month':
      return { from: day(monthStart(y, m)), to: day(today) };
    case 'last-month':
      return { from: day(monthStart(y, m - 1)), to: day(new Date(Date.UTC(y, m, 0))) };
    case 'last-3-months':
      return { from: day(monthStart(y, m - 2)), to: day(today) };
  }
}

/** Default view: from the first of the previous month to today (both unbilled periods). */
export function defaultRange(today = new Date()): { from: string; to: string } {
  return { from: day(monthStart(today.getUTCFullYear(), today.getUTCMonth() - 1)), to: day(today) };
}
