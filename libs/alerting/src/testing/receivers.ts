import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMail } from '@meridian/notify';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 (random port) keeping every message, decoded enough to assert on. */
export async function startMailbox() {
  const received: { to: string[]; subject: string; text: string; html: string; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = parseMail(raw);
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: mail.headers.subject ?? '', text: mail.text, html: mail.html, raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as unknown as { server: Server }).server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedWebhook {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1; `status` picks each answer (e.g. fail twice, then succeed). */
export async function startWebhookReceiver(status: (index: number, request: ReceivedWebhook) => number = () => 200) {
  const requests: ReceivedWebhook[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      const code = status(requests.length - 1, r);
      res.writeHead(code).end(code < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
