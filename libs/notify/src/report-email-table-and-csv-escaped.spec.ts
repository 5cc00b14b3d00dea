import { csvCell, renderReportEmail, reportCsv, type ScheduledReport } from './report';

const report = (over: Partial<ScheduledReport> = {}): ScheduledReport => ({
  viewName: 'EU <by> "service"',
  frequency: 'weekly',
  period: { key: '2026-W47', from: '2026-11-16', to: '2026-11-22' },
  columns: ['Account', 'Service'],
  rows: [
    { keys: ['eu', '=HYPERLINK("x")'], labels: ['Contoso EU', '=HYPERLINK("x")'], currency: 'EUR', amount: '1234.5678901234' },
    { keys: ['eu', 'Storage, hot'], labels: ['Contoso EU', 'Storage, hot'], currency: 'EUR', amount: '-0.01' },
  ],
  totals: [{ currency: 'EUR', amount: '1234.5578901234' }],
  path: '/explorer?group=account,service&from=2026-11-16&to=2026-11-22',
  ...over,
});

describe('scheduled report e-mail', () => {
  it.each([
    ['plain', 'Storage', 'Storage'],
    ['comma', 'a,b', '"a,b"'],
    ['quote', 'say "hi"', '"say ""hi"""'],
    ['formula', '=1+2', "'=1+2"],
    ['at sign', '@SUM(A1)', "'@SUM(A1)"],
    ['negative number stays a number', '-12.50', '-12.50'],
    ['newline', 'a\nb', '"a\nb"'],
  ])('CSV cell: %s', (_name, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes every digit, the period, keys and names, formulas neutralised', () => {
    expect(reportCsv(report()).split('\r\n')).toEqual([
      'period_start,period_end,Account,Account name,Service,currency,amount',
      `2026-11-16,2026-11-22,eu,Contoso EU,"'=HYPERLINK(""x"")",EUR,1234.5678901234`,
      '2026-11-16,2026-11-22,eu,Contoso EU,"Storage, hot",EUR,-0.01',
      '',
    ]);
  });

  it('escapes the HTML table, links the view over the period and names the CSV after the view and period', () => {
    const mail = renderReportEmail(report(), 'https://meridian.example.test/app');
    expect(mail.subject).toBe('[Meridian] Weekly report "EU <by> "service"" 2026-11-16 to 2026-11-22: EUR 1234.5578901234');
    expect(mail.html).toContain('EU &#60;by&#62; &#34;service&#34;');
    expect(mail.html).not.toContain('<by>');
    expect(mail.html).toContain('<td align="right">1234.5678901234</td>');
    expect(mail.html).toContain('<th align="left" colspan="2">Total</th><td>EUR</td><td align="right">1234.5578901234</td>');
    expect(mail.text).toContain('https://meridian.example.test/app/explorer?group=account,service&from=2026-11-16&to=2026-11-22');
    expect(mail.attachment).toMatchObject({ filename: 'EU-by-service-2026-W47.csv', contentType: 'text/csv; charset=utf-8' });
  });

  it('says "no cost" for an empty period and shows a conversion error instead of a converted table', () => {
    const mail = renderReportEmail(report({ rows: [], totals: [], reporting: { currency: 'USD', error: 'missing exchange rates: EUR/USD for 2026-11' } }), 'https://m.test/');
    expect(mail.subject).toMatch(/: no cost$/);
    expect(mail.text).toContain('In USD: not converted (missing exchange rates: EUR/USD for 2026-11)');
    expect(reportCsv(report({ rows: [] }))).toBe('period_start,period_end,Account,Service,currency,amount\r\n');
  });
});
