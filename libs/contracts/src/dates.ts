import type { DatePreset } from './dimensions';

function shiftMonth(month: string, offset: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/**
 * The usage days (inclusive, UTC) of a preset as of `today` (YYYY-MM-DD): month to date, or whole
 * calendar months before the current one ("last 3 months" = the three complete months before it).
 */
export function resolveDatePreset(preset: DatePreset, today: string): { from: string; to: string } {
  const month = today.slice(0, 7);
  if (preset === 'mtd') return { from: `${month}-01`, to: today };
  const months = preset === 'last-month' ? 1 : Number(preset.split('-')[1]);
  return { from: `${shiftMonth(month, -months)}-01`, to: lastDay(shiftMonth(month, -1)) };
}
