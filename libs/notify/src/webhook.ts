import { digestPayload, type CostDigest } from './digest';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { alertLink, describeScope, formatMoney, noticeHeadline, teamsCardMessage, testMessage } from './notice';
import type { AlertNotice, DeliveryResult, NotificationChannel, NotificationMessage } from './notice';

export type WebhookFormat = 'meridian' | 'slack' | 'teams';

export const SIGNATURE_HEADER = 'X-Meridian-Signature';
export const TIMESTAMP_HEADER = 'X-Meridian-Timestamp';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export interface WebhookChannelOptions {
  url: string;
  format: WebhookFormat;
  /** HMAC-SHA256 key; without it requests are sent unsigned (Slack/Teams ignore the headers anyway). */
  secret?: string;
  /** Dashboard base URL for links. */
  baseUrl: string;
  timeoutMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Injected clock for the signature timestamp; defaults to Date.now. */
  now?: () => number;
}

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`). */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : bag[key];
  return Array.isArray(v) ? v[0] : v;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing-headers' | 'stale-timestamp' | 'bad-signature' };

/**
 * Checks a received webhook: the signature must match the raw body and timestamp, and the
 * timestamp must be within `toleranceSeconds` of now (replay protection). Compare in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: HeaderBag,
  body: string | Buffer,
  toleranceSeconds: number,
  nowMs: number = Date.now(),
): VerifyResult {
  const signature = header(headers, SIGNATURE_HEADER);
  const timestamp = header(headers, TIMESTAMP_HEADER);
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing-headers' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: 'stale-timestamp' };
  const expected = Buffer.from(signWebhook(secret, timestamp, body.toString()));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

/** Our own JSON: everything structured, for scripts and ticketing integrations. */
export function meridianPayload(message: NotificationMessage, baseUrl: string) {
  const n = message.notice;
  return {
    version: 1,
    event: n.kind === 'fire' ? 'alert.fired' : 'alert.resolved',
    dedupKey: message.dedupKey,
    alert: {
      ...n,
      scopeText: describeScope(n.scope),
      ...(n.value ? { valueText: formatMoney(n.value) } : {}),
      ...(n.limit ? { limitText: formatMoney(n.limit) } : {}),
    },
    link: alertLink(n, baseUrl),
  };
}

function facts(n: AlertNotice): [string, string][] {
  return [
    ...(n.value ? ([['Amount', formatMoney(n.value)]] as [string, string][]) : []),
    ...(n.limit ? ([['Threshold', formatMoney(n.limit)]] as [string, string][]) : []),
    ['Where', describeScope(n.scope)],
    ['Period', n.period],
  ];
}

/** Slack incoming-webhook body: `text` is the fallback for notifications, `blocks` the message. */
export function slackPayload(message: NotificationMessage, baseUrl: string) {
  const n = message.notice;
  const link = alertLink(n, baseUrl);
  const headline = noticeHeadline(n);
  return {
    text: `${headline} — ${n.value ? `${formatMoney(n.value)} ` : ''}(${describeScope(n.scope)}) <${link}|Open in Meridian>`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: headline.slice(0, 150) } },
      { type: 'section', fields: facts(n).map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` })) },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Meridian' }, url: link }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `dedup \`${message.dedupKey}\`` }] },
    ],
  };
}

/** Microsoft Teams (Workflows / incoming webhook) message carrying an Adaptive Card. */
export function teamsPayload(message: NotificationMessage, baseUrl: string) {
  const n = message.notice;
  const body = [
    { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: noticeHeadline(n), color: n.kind === 'fire' ? 'Attention' : 'Good' },
    { type: 'FactSet', facts: facts(n).map(([title, value]) => ({ title, value })) },
  ];
  return teamsCardMessage(body, alertLink(n, baseUrl), message.dedupKey, { msteams: { width: 'Full' } });
}

export function webhookPayload(format: WebhookFormat, message: NotificationMessage, baseUrl: string): unknown {
  if (format === 'slack') return slackPayload(message, baseUrl);
  if (format === 'teams') return teamsPayload(message, baseUrl);
  return meridianPayload(message, baseUrl);
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** POSTs signed JSON to a URL. Each attempt is signed afresh (new timestamp), with the same Idempotency-Key. */
export class WebhookChannel implements NotificationChannel {
  readonly kind = 'webhook' as const;

  constructor(private readonly options: WebhookChannelOptions) {}

  send(message: NotificationMessage): Promise<DeliveryResult> {
    const body = JSON.stringify(webhookPayload(this.options.format, message, this.options.baseUrl));
    return this.post(body, message.dedupKey, message.notice.kind === 'fire' ? 'alert.fired' : 'alert.resolved');
  }

  sendDigest(digest: CostDigest, dedupKey: string): Promise<DeliveryResult> {
    return this.post(JSON.stringify(digestPayload(this.options.format, digest, this.options.baseUrl, dedupKey)), dedupKey, 'digest.weekly');
  }

  private async post(body: string, dedupKey: string, event: string): Promise<DeliveryResult> {
    const timestamp = String(Math.floor((this.options.now ?? Date.now)() / 1000));
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'Meridian-Notify/1',
      [IDEMPOTENCY_HEADER]: dedupKey,
      'X-Meridian-Event': event,
      [TIMESTAMP_HEADER]: timestamp,
      ...(this.options.secret ? { [SIGNATURE_HEADER]: signWebhook(this.options.secret, timestamp, body) } : {}),
    };
    try {
      const res = await (this.options.fetch ?? fetch)(this.options.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined); // drain so the connection is reused
      if (res.ok) return { ok: true, status: res.status, retryable: false };
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      const wait = retryAfterMs(res.headers.get('retry-after'));
      return {
        ok: false,
        status: res.status,
        error: `HTTP ${res.status}`,
        retryable,
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      };
    } catch (e) {
      return { ok: false, error: (e as Error).message, retryable: true };
    }
  }

  sendTest(): Promise<DeliveryResult> {
    return this.send(testMessage(new Date((this.options.now ?? Date.now)()).toISOString()));
  }
}
