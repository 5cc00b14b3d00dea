import { PartnerCenterClient } from '@meridian/partner-center';
import type { AccountCredentials } from '@meridian/store';
import { redact } from './account-sync';
import { graphEndpointsFor } from './graph-endpoints';

export interface ConnectionCheck {
  ok: boolean;
  error: string | null;
}

export interface ConnectionTestOutcome {
  ok: boolean;
  elapsedMs: number;
  customersOnFirstPage: number | null;
  error: string | null;
  /** Partner Center token and one page of customers. */
  partnerCenter: ConnectionCheck;
  /** Global cloud: the Graph token and PartnerBilling.Read.All (usage comes only from there); null where Graph is not used. */
  graph: ConnectionCheck | null;
}

/**
 * Signs in with the credentials and reads one page of customers; for an account that reads usage
 * through the Graph billing export, also gets a Graph token and checks PartnerBilling.Read.All:
 * what "test connection" means in the UI, the API and the CLI. Says which of the two is missing.
 * Fails fast (one retry, short timeout); the secret never appears in the error it reports.
 */
export async function testConnection(
  creds: Omit<AccountCredentials, 'accountId' | 'currency' | 'graphBaseUrl' | 'graphTokenUrl' | 'usageApi'> & Partial<Pick<AccountCredentials, 'graphBaseUrl' | 'graphTokenUrl' | 'usageApi'>>,
  options: { timeoutMs?: number } = {},
): Promise<ConnectionTestOutcome> {
  const started = Date.now();
  const clean = (err: unknown) => redact(err instanceof Error ? err.message : String(err), [creds.secret]);
  const graph = creds.usageApi === 'v1' ? undefined : graphEndpointsFor({ cloud: creds.cloud, tokenUrl: creds.tokenUrl, graphBaseUrl: creds.graphBaseUrl ?? null, graphTokenUrl: creds.graphTokenUrl ?? null });
  let client: PartnerCenterClient;
  try {
    client = new PartnerCenterClient({
      baseUrl: creds.apiBaseUrl,
      tokenUrl: creds.tokenUrl,
      resource: creds.tokenResource,
      appId: creds.appId,
      secret: creds.secret,
      maxRetries: 1,
      retryBaseMs: 200,
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(graph ? { graph } : {}),
    });
  } catch (err) {
    const error = clean(err);
    return { ok: false, elapsedMs: Date.now() - started, customersOnFirstPage: null, error, partnerCenter: { ok: false, error }, graph: null };
  }
  let customersOnFirstPage: number | null = null;
  const partnerCenter: ConnectionCheck = { ok: true, error: null };
  try {
    customersOnFirstPage = 0;
    for await (const page of client.listCustomers({ pageSize: 1 })) {
      customersOnFirstPage = page.items.length + page.invalid.length;
      break;
    }
  } catch (err) {
    customersOnFirstPage = null;
    Object.assign(partnerCenter, { ok: false, error: `Partner Center: ${clean(err)}` });
  }
  let graphCheck: ConnectionCheck | null = null;
  if (graph) {
    graphCheck = { ok: true, error: null };
    try {
      await client.checkGraphAccess();
    } catch (err) {
      Object.assign(graphCheck, { ok: false, error: `Microsoft Graph billing export: ${clean(err)}` });
    }
  }
  const errors = [partnerCenter.error, graphCheck?.error].filter((e): e is string => !!e);
  return {
    ok: errors.length === 0,
    elapsedMs: Date.now() - started,
    customersOnFirstPage,
    error: errors.length ? errors.join(' · ') : null,
    partnerCenter,
    graph: graphCheck,
  };
}
