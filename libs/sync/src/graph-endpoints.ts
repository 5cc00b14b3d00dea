import type { AccountCredentials } from '@meridian/store';

/** Microsoft Graph of the global cloud (partner-center-api.md §5.5): the only cloud with the billing export. */
export const GLOBAL_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

/**
 * The Graph endpoints an account's billing exports use: the connection's overrides, else the global
 * cloud's public ones; none for clouds without Graph (unless overridden). The v2 token URL comes
 * from the account's own authority and tenant (same app registration, another scope).
 */
export function graphEndpointsFor(creds: Pick<AccountCredentials, 'cloud' | 'tokenUrl' | 'graphBaseUrl' | 'graphTokenUrl'>): { baseUrl: string; tokenUrl: string } | undefined {
  const baseUrl = creds.graphBaseUrl ?? (creds.cloud === 'global' ? GLOBAL_GRAPH_BASE_URL : null);
  if (!baseUrl) return undefined;
  return { baseUrl, tokenUrl: creds.graphTokenUrl ?? v2TokenUrl(creds.tokenUrl) };
}

/** `{authority}/{tenant}/oauth2/token` → `{authority}/{tenant}/oauth2/v2.0/token`. */
export function v2TokenUrl(tokenUrl: string): string {
  return tokenUrl.replace(/\/oauth2\/token\/?$/i, '/oauth2/v2.0/token');
}
