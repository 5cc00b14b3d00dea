import { digestHeadline, digestPayload, renderDigestEmail, type CostDigest } from './digest';
import { EmailChannel } from './email';
import { parseMail, startHttpReceiver, startSmtpServer } from './testing/servers';
import { verifyWebhookSignature, WebhookChannel } from './webhook';

const digest: CostDigest = {
  from: '2026-11-16',
  to: '2026-11-22',
  previousFrom: '2026-11-09',
  previousTo: '2026-11-15',
  currencies: [
    {
      currency: 'EUR',
      total: '12345.678',
      previousTotal: '11000',
      changePercent: '12.2',
      topServices: [
        { name: 'Virtual Machines', amount: '8000.5' },
        { name: 'Storage', amount: '2000' },
      ],
      accounts: [{ name: 'Contoso EU', amount: '12345.678' }],
    },
    { currency: 'USD', total: '99.99', previousTotal: '0', changePercent: null, topServices: [{ name: 'Bandwidth', amount: '99.99' }], accounts: [{ name: 'Contoso US', amount: '99.99' }] },
  ],
  openAlerts: 3,
  path: '/explorer?from=2026-11-16&to=2026-11-22&group=service',
};

describe('weekly cost digest', () => {
  it.each([
    ['totals per currency, never added', (t: string) => t.includes('EUR 12,345.68') && t.includes('USD 99.99')],
    ['change against the week before', (t: string) => t.includes('+12.2 % vs the week before') && t.includes('new this week')],
    ['top services with amounts', (t: string) => t.includes('Virtual Machines EUR 8,000.50')],
    ['accounts', (t: string) => t.includes('Contoso EU EUR 12,345.68')],
    ['open alerts', (t: string) => t.includes('Open alerts: 3')],
    ['a link to the week in the explorer', (t: string) => t.includes('https://meridian.test/app/explorer?from=2026-11-16&to=2026-11-22&group=service')],
  ])('the e-mail text says %s', (_what, holds) => {
    expect(holds(renderDigestEmail(digest, 'https://meridian.test/app').text)).toBe(true);
  });

  it('headline, and a digest with no cost says so', () => {
    expect(digestHeadline(digest)).toBe('Weekly cost digest 2026-11-16 to 2026-11-22: EUR 12,345.68 · USD 99.99');
    expect(renderDigestEmail({ ...digest, currencies: [] }, 'https://m.test').text).toContain('No cost was recorded this week.');
  });

  it.each(['meridian', 'slack', 'teams'] as const)('%s payload carries the totals and the link', (format) => {
    const body = JSON.stringify(digestPayload(format, digest, 'https://meridian.test', 'digest/2026-11-16'));
    expect(body).toContain(format === 'meridian' ? '12345.678' : 'EUR 12,345.68');
    expect(body).toContain('https://meridian.test/explorer?from=2026-11-16');
  });

  it('is delivered to a real SMTP server and a signed webhook', async () => {
    const smtp = await startSmtpServer();
    const hook = await startHttpReceiver(() => ({ status: 200 }));
    const email = new EmailChannel({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'Meridian <alerts@meridian.test>', to: ['finance@contoso.test'], baseUrl: 'https://meridian.test' });
    const webhook = new WebhookChannel({ url: hook.url, format: 'meridian', secret: 'digest-signing-secret-0001', baseUrl: 'https://meridian.test' });
    try {
      expect(await email.sendDigest(digest, 'digest/2026-11-16')).toMatchObject({ ok: true });
      expect(await webhook.sendDigest(digest, 'digest/2026-11-16')).toMatchObject({ ok: true, status: 200 });
      const mail = parseMail(smtp.received[0].raw);
      expect(mail.headers.subject).toBe('[Meridian] Weekly cost digest 2026-11-16 to 2026-11-22: EUR 12,345.68 · USD 99.99');
      expect(mail.headers['x-meridian-dedup-key']).toBe('digest/2026-11-16');
      expect(mail.html).toContain('Virtual Machines');
      const [request] = hook.requests;
      expect(request.headers['x-meridian-event']).toBe('digest.weekly');
      expect(request.headers['idempotency-key']).toBe('digest/2026-11-16');
      expect(verifyWebhookSignature('digest-signing-secret-0001', request.headers, request.body, 300)).toEqual({ ok: true });
      expect(JSON.parse(request.body)).toMatchObject({ event: 'digest.weekly', digest: { from: '2026-11-16', openAlerts: 3 } });
    } finally {
      email.close();
      await smtp.close();
      await hook.close();
    }
  });
});
