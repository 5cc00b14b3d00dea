import { budgetPeriodOf, daysBetween } from '@meridian/finops';
import { alertingConfigFromEnv, parseSmtpUrl } from './alerting.config';
import { forecastPeriodTotal } from './budget-rule';

const flat = (from: string, to: string, amount = '10') => daysBetween(from, to).map((day) => ({ day, amount }));

describe('forecast of a budget period', () => {
  const series = flat('2026-01-01', '2026-03-15');

  it.each([
    // known spend to the 15th + the rest of March
    { period: 'monthly', day: '2026-03-16', expected: 310 },
    // January + February + March
    { period: 'quarterly', day: '2026-03-16', expected: 900 },
    // Q1 + April–June from the model + July–December repeating its third month (June: 300)
    { period: 'yearly', day: '2026-03-16', expected: 740 + 160 + 300 + 310 + 300 + 6 * 300 },
  ] as const)('$period budget seen on $day', ({ period, day, expected }) => {
    expect(Number(forecastPeriodTotal(series, '2026-03-15', budgetPeriodOf(period, day)))).toBeCloseTo(expected, 6);
  });

  it('on the first day of a period, it is all forecast', () => {
    const march = flat('2026-01-01', '2026-03-31');
    expect(Number(forecastPeriodTotal(march, '2026-03-31', budgetPeriodOf('quarterly', '2026-04-01')))).toBeCloseTo(300 + 310 + 300, 6);
  });

  it('after the period it is what was spent', () => {
    expect(forecastPeriodTotal(series, '2026-03-15', budgetPeriodOf('monthly', '2026-02-10'))).toBe('280');
  });
});

describe('alerting configuration', () => {
  it('reads SMTP URLs with STARTTLS or TLS and percent-encoded credentials', () => {
    expect(parseSmtpUrl('smtp://alerts%40corp:p%3Ass@mail.corp:2525?requireTLS=true', 'A <a@corp>')).toEqual({
      host: 'mail.corp',
      port: 2525,
      secure: false,
      auth: { user: 'alerts@corp', pass: 'p:ss' },
      from: 'A <a@corp>',
      requireTLS: true,
    });
    expect(parseSmtpUrl('smtps://relay', 'x@y')).toMatchObject({ port: 465, secure: true, requireTLS: false });
    expect(() => parseSmtpUrl('http://relay', 'x@y')).toThrow(/smtp:\/\/ or smtps:\/\//);
  });

  it('defaults the link base and leaves e-mail off without MERIDIAN_SMTP_URL', () => {
    expect(alertingConfigFromEnv({})).toMatchObject({ publicUrl: 'http://127.0.0.1:3000', smtp: null, delivery: { attempts: 5 } });
    expect(() => alertingConfigFromEnv({ MERIDIAN_ALERT_DELIVERY_ATTEMPTS: 'lots' })).toThrow(/MERIDIAN_ALERT_DELIVERY_ATTEMPTS/);
  });
});
