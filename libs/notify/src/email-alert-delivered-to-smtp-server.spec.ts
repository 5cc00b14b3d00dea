import { deliverWithRetry, sendTestNotification } from './delivery';
import { EmailChannel } from './email';
import { message } from './testing/fixtures';
import { parseMail, startSmtpServer } from './testing/servers';

const base = {
  host: '127.0.0.1',
  secure: false,
  from: 'Meridian <alerts@meridian.test>',
  to: ['ops@contoso.test'],
  baseUrl: 'https://meridian.test',
};

describe('email alert delivered to a real SMTP server', () => {
  it('sends subject, text and html that say what crossed, how much, where, with a link', async () => {
    const smtp = await startSmtpServer();
    const channel = new EmailChannel({ ...base, port: smtp.port });
    try {
      const result = await channel.send(message());
      expect(result).toMatchObject({ ok: true, status: 250 });
      expect(smtp.received).toHaveLength(1);
      const [mail] = smtp.received;
      expect(mail).toMatchObject({ from: 'alerts@meridian.test', to: ['ops@contoso.test'] });
      const parsed = parseMail(mail.raw);
      expect(parsed.headers.subject).toBe('[Meridian] EU production budget — Forecast reached 80 % of the budget (EUR 2,420.50)');
      expect(parsed.headers['x-meridian-dedup-key']).toBe(message().dedupKey);
      for (const body of [parsed.text, parsed.html]) {
        expect(body).toContain('Forecast reached 80 % of the budget');
        expect(body).toContain('EUR 2,420.50');
        expect(body).toContain('EUR 2,400.00');
        expect(body).toContain('account Contoso EU (acc-eu)');
        expect(body).toContain('customer Fabrikam (cust-7)');
        expect(body).toContain('service Virtual Machines');
        expect(body).toContain('https://meridian.test/alerts/42');
      }
      expect(parsed.html).toContain('<a href="https://meridian.test/alerts/42">');
    } finally {
      channel.close();
      await smtp.close();
    }
  });

  it.each([
    { name: 'correct credentials', pass: 's3cret', ok: true, retryable: false },
    { name: 'wrong password is permanent', pass: 'wrong', ok: false, retryable: false },
  ])('authenticates: $name', async ({ pass, ok, retryable }) => {
    const smtp = await startSmtpServer({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, cb) {
        if (auth.username === 'meridian' && auth.password === 's3cret') cb(null, { user: 'meridian' });
        else cb(new Error('Invalid username or password'));
      },
    });
    const channel = new EmailChannel({ ...base, port: smtp.port, auth: { user: 'meridian', pass } });
    try {
      const result = await channel.send(message());
      expect(result).toMatchObject({ ok });
      if (!ok) expect(result.retryable).toBe(retryable);
      expect(smtp.received.map((m) => m.user)).toEqual(ok ? ['meridian'] : []);
    } finally {
      channel.close();
      await smtp.close();
    }
  });

  it('a rejected recipient (550) is not retried', async () => {
    const smtp = await startSmtpServer({
      onRcptTo(_address, _session, cb) {
        cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
      },
    });
    const channel = new EmailChannel({ ...base, port: smtp.port });
    const attempts: unknown[] = [];
    try {
      const outcome = await deliverWithRetry(channel, message(), { attempts: 3, baseMs: 1, onAttempt: (a) => void attempts.push(a) });
      expect(outcome).toMatchObject({ delivered: false, attempts: 1 });
      expect(attempts).toEqual([expect.objectContaining({ attempt: 1, ok: false, status: 550, channel: 'email' })]);
    } finally {
      channel.close();
      await smtp.close();
    }
  });

  it('"send test" delivers a labelled sample', async () => {
    const smtp = await startSmtpServer();
    const channel = new EmailChannel({ ...base, port: smtp.port });
    try {
      expect(await sendTestNotification(channel)).toMatchObject({ delivered: true, attempts: 1 });
      const parsed = parseMail(smtp.received[0].raw);
      expect(parsed.headers.subject).toContain('Meridian test notification');
      expect(parsed.headers['x-meridian-dedup-key']).toMatch(/^test\/[0-9a-f-]{36}$/);
      expect(parsed.text).toContain('Open in Meridian: https://meridian.test/alerts');
    } finally {
      channel.close();
      await smtp.close();
    }
  });
});
