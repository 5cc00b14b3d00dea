import { renderAlertEmail } from './email';
import { formatMoney } from './notice';
import { budgetFired } from './testing/fixtures';

describe('email renders what, how much, where and a link', () => {
  it.each([
    { amount: '2420.5', currency: 'EUR', out: 'EUR 2,420.50' },
    { amount: '1234567.005', currency: 'USD', out: 'USD 1,234,567.00' },
    { amount: '0.015', currency: 'CNY', out: 'CNY 0.02' },
    { amount: '-12.5', currency: 'EUR', out: '-EUR 12.50' },
    { amount: '-0.001', currency: 'USD', out: 'USD 0.00' },
    { amount: '999.999', currency: 'USD', out: 'USD 1,000.00' },
  ])('formats $amount $currency as $out', ({ amount, currency, out }) => {
    expect(formatMoney({ amount, currency })).toBe(out);
  });

  it.each([
    {
      name: 'fired budget',
      notice: budgetFired,
      subject: '[Meridian] EU production budget — Forecast reached 80 % of the budget (EUR 2,420.50)',
    },
    {
      name: 'resolved anomaly without a threshold',
      notice: {
        ...budgetFired,
        kind: 'resolve',
        category: 'anomaly',
        ruleName: 'Daily anomaly',
        condition: 'Cost back to normal',
        limit: undefined,
        period: '2024-03-14',
      },
      subject: '[Meridian] Resolved: Daily anomaly — Cost back to normal (EUR 2,420.50)',
    },
  ] as const)('$name', ({ notice, subject }) => {
    const email = renderAlertEmail(notice, 'https://meridian.test/base/');
    expect(email.subject).toBe(subject);
    expect(email.text).toContain('Where: account Contoso EU (acc-eu) › customer Fabrikam (cust-7) › service Virtual Machines');
    expect(email.text).toContain('Open in Meridian: https://meridian.test/base/alerts/42');
    expect(email.text.includes('Threshold:')).toBe(notice.limit !== undefined);
  });

  it('escapes HTML from names it did not write', () => {
    const email = renderAlertEmail(
      { ...budgetFired, scope: [{ kind: 'customer', name: '<script>alert(1)</script>' }] },
      'https://meridian.test',
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&#60;script&#62;');
  });
});
