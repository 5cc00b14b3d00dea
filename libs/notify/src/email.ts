import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { alertLink, describeScope, escapeHtml, formatMoney, noticeHeadline, testMessage } from './notice';
import type { AlertNotice, DeliveryResult, NotificationChannel, NotificationMessage } from './notice';
import { renderDigestEmail, type CostDigest } from './digest';
import { renderReportEmail, type ScheduledReport } from './report';

export interface EmailChannelOptions {
  host: string;
  port: number;
  /** true = TLS from the first byte (port 465); false = plain, upgraded with STARTTLS when offered. */
  secure: boolean;
  auth?: { user: string; pass: string };
  from: string;
  to: readonly string[];
  /** Dashboard base URL for links ('https://meridian.example.com'). */
  baseUrl: string;
  /** Refuse to send without STARTTLS (recommended when secure is false and auth is set). */
  requireTLS?: boolean;
  /** Accept self-signed certificates (test servers only). */
  allowSelfSigned?: boolean;
  timeoutMs?: number;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Subject, plain text and HTML of an alert e-mail: what crossed, how much, where, and a link. */
export function renderAlertEmail(notice: AlertNotice, baseUrl: string): RenderedEmail {
  const link = alertLink(notice, baseUrl);
  const where = describeScope(notice.scope);
  const value = notice.value ? formatMoney(notice.value) : null;
  const rows: [string, string][] = [
    ['What', notice.condition],
    ...(value ? ([['Amount', value]] as [string, string][]) : []),
    ...(notice.limit ? ([['Threshold', formatMoney(notice.limit)]] as [string, string][]) : []),
    ['Where', where],
    ['Period', notice.period],
    ['When', notice.occurredAt],
  ];
  const subject = `[Meridian] ${notice.kind === 'fire' ? '' : 'Resolved: '}${notice.ruleName} — ${notice.condition}${value ? ` (${value})` : ''}`;
  const text = [noticeHeadline(notice), '', ...rows.map(([k, v]) => `${k}: ${v}`), '', `Open in Meridian: ${link}`, ''].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2>${escapeHtml(noticeHeadline(notice))}</h2>`,
    '<table cellpadding="4">',
    ...rows.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    '</table>',
    `<p><a href="${escapeHtml(link)}">Open in Meridian</a></p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** Sends alert e-mails over SMTP with nodemailer. One pooled-free transport per channel. */
export class EmailChannel implements NotificationChannel {
  readonly kind = 'email' as const;
  private readonly transport: Transporter;

  constructor(private readonly options: EmailChannelOptions) {
    this.transport = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
      requireTLS: options.requireTLS ?? false,
      tls: { rejectUnauthorized: !options.allowSelfSigned },
      connectionTimeout: options.timeoutMs ?? 15_000,
      greetingTimeout: options.timeoutMs ?? 15_000,
      socketTimeout: options.timeoutMs ?? 30_000,
    });
  }

  send(message: NotificationMessage): Promise<DeliveryResult> {
    return this.deliver(renderAlertEmail(message.notice, this.options.baseUrl), message.dedupKey);
  }

  sendDigest(digest: CostDigest, dedupKey: string): Promise<DeliveryResult> {
    return this.deliver(renderDigestEmail(digest, this.options.baseUrl), dedupKey);
  }

  /** A scheduled report to this channel's recipients: the table in the body, the rows as a CSV attachment. */
  sendReport(report: ScheduledReport, dedupKey: string): Promise<DeliveryResult> {
    const { attachment, ...email } = renderReportEmail(report, this.options.baseUrl);
    return this.deliver(email, dedupKey, [attachment]);
  }

  private async deliver({ subject, text, html }: RenderedEmail, dedupKey: string, attachments: { filename: string; content: string; contentType: string }[] = []): Promise<DeliveryResult> {
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: [...this.options.to],
        subject,
        text,
        html,
        ...(attachments.length ? { attachments } : {}),
        // Lets mail rules and the receiving side spot a duplicate of the same transition.
        headers: { 'X-Meridian-Dedup-Key': dedupKey },
      });
      const code = Number(/^(\d{3})/.exec(String(info.response ?? ''))?.[1] ?? 250);
      return { ok: true, status: code, retryable: false };
    } catch (e) {
      const err = e as Error & { responseCode?: number; code?: string };
      const status = err.responseCode;
      // SMTP 5xx is a permanent refusal (bad recipient, auth rejected); 4xx and network errors are transient.
      const permanent = (status !== undefined && status >= 500) || err.code === 'EAUTH' || err.code === 'EENVELOPE';
      return { ok: false, ...(status !== undefined ? { status } : {}), error: err.message, retryable: !permanent };
    }
  }

  sendTest(): Promise<DeliveryResult> {
    return this.send(testMessage());
  }

  close(): void {
    this.transport.close();
  }
}
