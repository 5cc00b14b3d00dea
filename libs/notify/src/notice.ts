import Decimal from 'decimal.js';
import { randomUUID } from 'node:crypto';
import type { CostDigest } from './digest';

/** Where an alert applies, outermost first: account → customer → subscription → service. */
export interface ScopeRef {
  kind: 'all' | 'cloud' | 'account' | 'customer' | 'subscription' | 'service' | 'resource-group';
  id?: string;
  name?: string;
}

export interface MoneyAmount {
  /** Exact decimal string, as stored ('2420.5'). */
  amount: string;
  currency: string;
}

/**
 * What a notification says, independent of the channel. Built by the alerting service from a
 * finops transition (fire/resolve) and the rule it belongs to.
 */
export interface AlertNotice {
  kind: 'fire' | 'resolve';
  category: 'budget' | 'anomaly' | 'sandbox-cap' | 'sync-health';
  /** Rule name, e.g. 'EU production budget'. */
  ruleName: string;
  /** What crossed, in words: 'Forecast reached 80 % of the budget'. */
  condition: string;
  /** The value that crossed (spend to date, forecast, the day's cost…); absent for sync-health alerts, which are not about money. */
  value?: MoneyAmount;
  /** The threshold or baseline it is compared with. */
  limit?: MoneyAmount;
  scope: readonly ScopeRef[];
  /** Budget period or day: '2025-03', '2025-Q1', '2025-03-14'. */
  period: string;
  /** When the transition happened (ISO timestamp). */
  occurredAt: string;
  /** Dashboard path of the alert, joined to the channel's base URL ('/alerts/42'). */
  path?: string;
}

/** One notification to deliver. The dedup key is stable per transition (finops `alertDedupKey`). */
export interface NotificationMessage {
  dedupKey: string;
  notice: AlertNotice;
}

export interface DeliveryResult {
  ok: boolean;
  /** HTTP status or SMTP reply code. */
  status?: number;
  error?: string;
  /** False for failures that retrying cannot fix (HTTP 4xx except 408/429, SMTP 5xx). */
  retryable: boolean;
  /** Server asked to wait this long before retrying (HTTP Retry-After). */
  retryAfterMs?: number;
}

export interface NotificationChannel {
  readonly kind: 'email' | 'webhook';
  send(message: NotificationMessage): Promise<DeliveryResult>;
  /** Sends a clearly labelled sample notification, to check the channel's settings. */
  sendTest(): Promise<DeliveryResult>;
  /** Sends the weekly cost digest (channels that opted in). */
  sendDigest?(digest: CostDigest, dedupKey: string): Promise<DeliveryResult>;
}

/** '1234567.5', 'EUR' → 'EUR 1,234,567.50' (exact: no float conversion). */
export function formatMoney(m: MoneyAmount): string {
  const fixed = new Decimal(m.amount).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
  const negative = fixed.startsWith('-') && !/^-0\.00$/.test(fixed);
  const [int, frac] = fixed.replace('-', '').split('.');
  return `${negative ? '-' : ''}${m.currency} ${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

export function describeScope(scope: readonly ScopeRef[]): string {
  if (scope.length === 0) return 'all accounts';
  return scope
    .map((s) => (s.kind === 'all' ? 'all accounts' : `${s.kind} ${s.name ?? s.id ?? ''}${s.name && s.id ? ` (${s.id})` : ''}`.trim()))
    .join(' › ');
}

/** Absolute link to a dashboard path. The path is relative to the base URL, so a base with a prefix ('https://host/meridian') is kept. */
export function dashboardLink(path: string, baseUrl: string): string {
  return new URL(path.replace(/^\/+/, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

/** Absolute link to the alert. */
export function alertLink(notice: AlertNotice, baseUrl: string): string {
  return dashboardLink(notice.path ?? '/alerts', baseUrl);
}

/** Text made safe for HTML bodies and attributes (e-mails). */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function noticeHeadline(notice: AlertNotice): string {
  return notice.kind === 'fire' ? `${notice.ruleName}: ${notice.condition}` : `Resolved — ${notice.ruleName}: ${notice.condition}`;
}

/** The sample every channel's "send test" delivers. */
export function sampleNotice(occurredAt: string): AlertNotice {
  return {
    kind: 'fire',
    category: 'budget',
    ruleName: 'Meridian test notification',
    condition: 'This is a test: no threshold was crossed',
    value: { amount: '0', currency: 'USD' },
    scope: [{ kind: 'all' }],
    period: occurredAt.slice(0, 7),
    occurredAt,
    path: '/alerts',
  };
}

/** A test message: the sample notice under a fresh dedup key, so repeated tests are never deduplicated away. */
export function testMessage(occurredAt: string = new Date().toISOString()): NotificationMessage {
  return { dedupKey: `test/${randomUUID()}`, notice: sampleNotice(occurredAt) };
}

/**
 * A Microsoft Teams message (Workflows / incoming webhook) carrying one Adaptive Card: `body`, an
 * "Open in Meridian" action to `link`, and any further card properties.
 */
export function teamsCardMessage(body: unknown[], link: string, dedupKey: string, card: Record<string, unknown> = {}) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: [{ type: 'Action.OpenUrl', title: 'Open in Meridian', url: link }],
          ...card,
        },
      },
    ],
    dedupKey,
  };
}
