import { PartnerCenterClient } from '@meridian/partner-center';
import type { AccountCredentials } from '@meridian/store';
import { redact } from './account-sync';

export interface ConnectionTestOutcome {
  ok: boolean;
  elapsedMs: number;
  customersOnFirstPage: number | null;
  error: string | null;
}

/**
 * Signs in with the credentials and reads one page of customers: what "test connection" means in
 * the UI, the API and the CLI. Fails fast (one retry, short timeout); the secret never appears in
 * the error it reports.
 */
export async function testConnection(creds: Omit<AccountCredentials, 'accountId' | 'currency'>, options: { timeoutMs?: number } = {}): Promise<ConnectionTestOutcome> {
  const started = Date.now();
  try {
    const client = new PartnerCenterClient({
      baseUrl: creds.apiBaseUrl,
      tokenUrl: creds.tokenUrl,
      resource: creds.tokenResource,
      appId: creds.appId,
      secret: creds.secret,
      maxRetries: 1,
      retryBaseMs: 200,
      timeoutMs: options.timeoutMs ?? 10_000,
    });
    for await (const page of client.listCustomers({ pageSize: 1 })) {
      return { ok: true, elapsedMs: Date.now() - started, customersOnFirstPage: page.items.length + page.invalid.length, error: null };
    }
    return { ok: true, elapsedMs: Date.now() - started, customersOnFirstPage: 0, error: null };
  } catch (err) {
    return { ok: false, elapsedMs: Date.now() - started, customersOnFirstPage: null, error: redact(err instanceof Error ? err.message : String(err), [creds.secret]) };
  }
}
