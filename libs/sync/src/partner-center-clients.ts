import { createHash } from 'node:crypto';
import { PartnerCenterClient, type LogEvent, type PartnerCenterClientOptions, type RequestObservation } from '@meridian/partner-center';
import type { AccountCredentials } from '@meridian/store';
import { graphEndpointsFor } from './graph-endpoints';

/** Graph export pacing (tests shorten the waits; defaults are the client's). */
export type GraphPacing = Omit<NonNullable<PartnerCenterClientOptions['graph']>, 'baseUrl' | 'tokenUrl' | 'scope'>;

/**
 * One Partner Center client per account (so one token cache and one rate limiter per account,
 * DESIGN §3). A changed secret or endpoint gets a new client; a token is never reused elsewhere.
 */
export class PartnerCenterClients {
  private readonly clients = new Map<string, { fingerprint: string; client: PartnerCenterClient }>();

  constructor(
    private readonly options: { timeoutMs?: number; maxRetries?: number; retryBaseMs?: number; graph?: GraphPacing } = {},
    private readonly observe: {
      /** Each HTTP exchange of an account's client (metrics: by account id, never by name). */
      onRequest?: (accountId: string, request: RequestObservation) => void;
      /** The clients' structured log events (retries, failures; never secrets or tokens). */
      log?: (event: LogEvent) => void;
    } = {},
  ) {}

  forAccount(creds: AccountCredentials): PartnerCenterClient {
    const fingerprint = createHash('sha256')
      .update([creds.apiBaseUrl, creds.tokenUrl, creds.tokenResource, creds.graphBaseUrl, creds.graphTokenUrl, creds.appId, creds.secret].join('\u001f'))
      .digest('hex');
    const cached = this.clients.get(creds.accountId);
    if (cached?.fingerprint === fingerprint) return cached.client;
    const { graph: pacing, ...options } = this.options;
    const graph = graphEndpointsFor(creds);
    const client = new PartnerCenterClient({
      baseUrl: creds.apiBaseUrl,
      tokenUrl: creds.tokenUrl,
      resource: creds.tokenResource,
      appId: creds.appId,
      secret: creds.secret,
      ...options,
      ...(graph ? { graph: { ...pacing, ...graph } } : {}),
      ...(this.observe.onRequest ? { onRequest: (request: RequestObservation) => this.observe.onRequest?.(creds.accountId, request) } : {}),
      ...(this.observe.log ? { log: this.observe.log } : {}),
    });
    this.clients.set(creds.accountId, { fingerprint, client });
    return client;
  }
}
