import { createHash } from 'node:crypto';
import { PartnerCenterClient } from '@meridian/partner-center';
import type { AccountCredentials } from '@meridian/store';

/**
 * One Partner Center client per account (so one token cache and one rate limiter per account,
 * DESIGN §3). A changed secret or endpoint gets a new client; a token is never reused elsewhere.
 */
export class PartnerCenterClients {
  private readonly clients = new Map<string, { fingerprint: string; client: PartnerCenterClient }>();

  constructor(private readonly options: { timeoutMs?: number; maxRetries?: number; retryBaseMs?: number } = {}) {}

  forAccount(creds: AccountCredentials): PartnerCenterClient {
    const fingerprint = createHash('sha256')
      .update([creds.apiBaseUrl, creds.tokenUrl, creds.tokenResource, creds.appId, creds.secret].join('\u001f'))
      .digest('hex');
    const cached = this.clients.get(creds.accountId);
    if (cached?.fingerprint === fingerprint) return cached.client;
    const client = new PartnerCenterClient({
      baseUrl: creds.apiBaseUrl,
      tokenUrl: creds.tokenUrl,
      resource: creds.tokenResource,
      appId: creds.appId,
      secret: creds.secret,
      ...this.options,
    });
    this.clients.set(creds.accountId, { fingerprint, client });
    return client;
  }
}
