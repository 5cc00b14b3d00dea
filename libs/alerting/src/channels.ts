import { EmailChannel, WebhookChannel, type NotificationChannel } from '@meridian/notify';
import type { ChannelDeliveryConfig } from '@meridian/store';
import type { AlertingConfig } from './alerting.config';

/** The notify channel that delivers to a stored channel's settings. */
export function notificationChannelFor(channel: ChannelDeliveryConfig, config: AlertingConfig): NotificationChannel {
  if (channel.kind === 'email') {
    if (!config.smtp) throw new Error('e-mail channels need MERIDIAN_SMTP_URL (and MERIDIAN_SMTP_FROM) to be set');
    return new EmailChannel({
      host: config.smtp.host,
      port: config.smtp.port,
      secure: config.smtp.secure,
      ...(config.smtp.auth ? { auth: config.smtp.auth } : {}),
      requireTLS: config.smtp.requireTLS,
      from: config.smtp.from,
      to: channel.to ?? [],
      baseUrl: config.publicUrl,
    });
  }
  if (!channel.url) throw new Error(`webhook channel ${channel.id} has no URL`);
  return new WebhookChannel({
    url: channel.url,
    format: channel.format ?? 'meridian',
    ...(channel.secret ? { secret: channel.secret } : {}),
    baseUrl: config.publicUrl,
  });
}
