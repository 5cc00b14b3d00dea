import { lastCompleteReportPeriod, reportPeriodOf } from './report-period';

describe('report periods (UTC)', () => {
  it.each([
    // frequency, sent at, key, from, to
    ['daily', '2026-11-25T07:00:00Z', '2026-11-24', '2026-11-24', '2026-11-24'],
    ['daily', '2026-11-25T00:00:00Z', '2026-11-24', '2026-11-24', '2026-11-24'],
    ['daily', '2026-11-24T23:59:59.999Z', '2026-11-23', '2026-11-23', '2026-11-23'],
    ['daily', '2026-03-01T06:00:00Z', '2026-02-28', '2026-02-28', '2026-02-28'],
    ['daily', '2028-03-01T06:00:00Z', '2028-02-29', '2028-02-29', '2028-02-29'],
    ['daily', '2027-01-01T00:30:00Z', '2026-12-31', '2026-12-31', '2026-12-31'],
    ['weekly', '2026-11-23T07:00:00Z', '2026-W47', '2026-11-16', '2026-11-22'], // a Monday
    ['weekly', '2026-11-29T23:00:00Z', '2026-W47', '2026-11-16', '2026-11-22'], // the Sunday after
    ['weekly', '2026-11-30T00:00:00Z', '2026-W48', '2026-11-23', '2026-11-29'], // the next Monday
    ['weekly', '2026-01-05T07:00:00Z', '2026-W01', '2025-12-29', '2026-01-04'], // week 1 starts in December
    ['weekly', '2027-01-04T07:00:00Z', '2026-W53', '2026-12-28', '2027-01-03'], // 2026 has 53 ISO weeks
    ['weekly', '2021-01-04T07:00:00Z', '2020-W53', '2020-12-28', '2021-01-03'],
    ['monthly', '2026-12-01T00:00:00Z', '2026-11', '2026-11-01', '2026-11-30'],
    ['monthly', '2026-11-30T23:59:59Z', '2026-10', '2026-10-01', '2026-10-31'],
    ['monthly', '2026-01-15T07:00:00Z', '2025-12', '2025-12-01', '2025-12-31'],
    ['monthly', '2028-03-02T07:00:00Z', '2028-02', '2028-02-01', '2028-02-29'],
  ] as const)('%s sent at %s covers %s (%s … %s)', (frequency, at, key, from, to) => {
    expect(lastCompleteReportPeriod(frequency, new Date(at))).toEqual({ frequency, key, from, to });
  });

  it.each([
    ['weekly', '2026-11-22', '2026-W47'], // Sunday ends the week
    ['weekly', '2026-11-16', '2026-W47'],
    ['weekly', '2024-12-30', '2025-W01'],
    ['monthly', '2026-02-14', '2026-02'],
    ['daily', '2026-02-14', '2026-02-14'],
  ] as const)('%s period of %s is %s', (frequency, day, key) => {
    expect(reportPeriodOf(frequency, day).key).toBe(key);
  });

  it('refuses a day that is not a calendar day', () => {
    expect(() => reportPeriodOf('daily', '2026-02-30')).toThrow(/calendar day/);
  });
});
