import { addDays, dayNumber, lastDayOfMonth, weekday } from './calendar';

/** How often a scheduled report is sent: once per calendar day, ISO week (Monday–Sunday) or month. */
export const REPORT_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number];

/** One report period: inclusive usage days (UTC) and a key that names it ('2026-11-24', '2026-W48', '2026-11'). */
export interface ReportPeriod {
  frequency: ReportFrequency;
  key: string;
  from: string;
  to: string;
}

/** The period of `frequency` that contains `day` ('YYYY-MM-DD'). */
export function reportPeriodOf(frequency: ReportFrequency, day: string): ReportPeriod {
  dayNumber(day); // throws on anything that is not a calendar day
  if (frequency === 'daily') return { frequency, key: day, from: day, to: day };
  if (frequency === 'monthly') {
    const month = day.slice(0, 7);
    return { frequency, key: month, from: `${month}-01`, to: lastDayOfMonth(month) };
  }
  const monday = addDays(day, -((weekday(day) + 6) % 7)); // weekday: 0 = Sunday
  return { frequency, key: isoWeekKey(monday), from: monday, to: addDays(monday, 6) };
}

/**
 * The period a report sent at `at` covers: the last one that has fully ended, in UTC (cost days are
 * UTC billing days). Sending twice in the same period yields the same key, which is what makes a
 * delivery once per period.
 */
export function lastCompleteReportPeriod(frequency: ReportFrequency, at: Date): ReportPeriod {
  const today = at.toISOString().slice(0, 10);
  return reportPeriodOf(frequency, addDays(reportPeriodOf(frequency, today).from, -1));
}

/** ISO 8601 week key of the week starting on `monday`: the week belongs to the year of its Thursday. */
function isoWeekKey(monday: string): string {
  const thursday = addDays(monday, 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor((dayNumber(thursday) - dayNumber(`${year}-01-01`)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
