/** Where alert links point, how e-mail leaves, and how hard deliveries retry. */
export interface AlertingConfig {
  /** Dashboard base URL for the links in notifications (MERIDIAN_PUBLIC_URL). */
  publicUrl: string;
  /** SMTP relay (MERIDIAN_SMTP_URL, MERIDIAN_SMTP_FROM); without it e-mail channels fail with a clear error. */
  smtp: SmtpConfig | null;
  delivery: {
    /** Attempts per notification and channel, the first included. */
    attempts: number;
    /** First backoff; doubles each retry (with jitter), capped at maxMs. */
    baseMs: number;
    maxMs: number;
  };
  /** Daily evaluation (cron, UTC), besides the one after every sync. */
  dailyCron: string;
  /** Weekly cost digest to the channels that opted in (cron, UTC); 'off' disables it. */
  digestCron: string;
  /** When due scheduled reports are sent (cron, UTC; each subscription once per period); 'off' disables it. */
  reportsCron: string;
}

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
  from: string;
  requireTLS: boolean;
}

/**
 * `smtp://user:pass@host:587` (STARTTLS when offered; `?requireTLS=true` insists on it) or
 * `smtps://…:465` (TLS from the first byte). Credentials may be percent-encoded.
 */
export function parseSmtpUrl(url: string, from: string): SmtpConfig {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`MERIDIAN_SMTP_URL must start with smtp:// or smtps:// (got ${u.protocol})`);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    from,
    requireTLS: u.searchParams.get('requireTLS') === 'true',
  };
}

const positiveInt = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got ${value})`);
  return n;
};

export function alertingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AlertingConfig {
  const from = env.MERIDIAN_SMTP_FROM || 'Meridian <meridian@localhost>';
  return {
    publicUrl: env.MERIDIAN_PUBLIC_URL || 'http://127.0.0.1:3000',
    smtp: env.MERIDIAN_SMTP_URL ? parseSmtpUrl(env.MERIDIAN_SMTP_URL, from) : null,
    delivery: {
      attempts: Math.max(1, positiveInt(env.MERIDIAN_ALERT_DELIVERY_ATTEMPTS, 5, 'MERIDIAN_ALERT_DELIVERY_ATTEMPTS')),
      baseMs: positiveInt(env.MERIDIAN_ALERT_DELIVERY_BASE_MS, 2_000, 'MERIDIAN_ALERT_DELIVERY_BASE_MS'),
      maxMs: positiveInt(env.MERIDIAN_ALERT_DELIVERY_MAX_MS, 60_000, 'MERIDIAN_ALERT_DELIVERY_MAX_MS'),
    },
    dailyCron: env.MERIDIAN_ALERTS_DAILY_CRON || '0 30 6 * * *',
    digestCron: env.MERIDIAN_DIGEST_CRON || '0 0 7 * * 1',
    // Hourly: a report is due once its period has ended; the delivery claim keeps it to one per period.
    reportsCron: env.MERIDIAN_REPORTS_CRON || '0 20 * * * *',
  };
}
