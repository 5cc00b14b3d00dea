import type { Store } from '@meridian/store';
import { z } from 'zod';

/** The simulator's control API `GET /_sim/accounts` (apps/pc-sim/README.md). */
const simAccountsSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      cloud: z.enum(['global', 'usgov', 'china', 'germany']),
      baseUrl: z.string().url(),
      tokenUrl: z.string().url(),
      /** Accounts with the Graph billing export (global cloud). */
      graphBaseUrl: z.string().url().optional(),
      graphTokenUrl: z.string().url().optional(),
      resource: z.string(),
      tenantId: z.string(),
      appId: z.string(),
      secret: z.string(),
      currency: z.string().length(3),
      sandbox: z.boolean(),
    }),
  ),
});
export type SimulatorAccount = z.infer<typeof simAccountsSchema>['items'][number];

/**
 * Connects every account of a Partner Center simulator, exactly as an admin would connect a real
 * one (the secret is sealed by the store). Used by the demo mode, tests and benchmarks.
 */
export async function connectSimulatorAccounts(
  store: Store,
  simUrl: string,
  options: { syncIntervalMinutes?: number; attempts?: number } = {},
): Promise<SimulatorAccount[]> {
  const { items } = simAccountsSchema.parse(await fetchJsonWithRetry(`${simUrl.replace(/\/+$/, '')}/_sim/accounts`, options.attempts ?? 30));
  for (const a of items) {
    await store.accounts.upsertConnection({
      id: a.id,
      name: a.name,
      cloud: a.cloud,
      tenantId: a.tenantId,
      appId: a.appId,
      secret: a.secret,
      apiBaseUrl: a.baseUrl,
      tokenUrl: a.tokenUrl,
      tokenResource: a.resource,
      graphBaseUrl: a.graphBaseUrl ?? null,
      graphTokenUrl: a.graphTokenUrl ?? null,
      currency: a.currency,
      sandbox: a.sandbox,
      syncIntervalMinutes: options.syncIntervalMinutes,
    }, { userId: null, via: `simulator ${simUrl}` });
  }
  return items;
}

async function fetchJsonWithRetry(url: string, attempts: number): Promise<unknown> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.json();
      lastError = new Error(`HTTP ${res.status}`);
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`simulator not reachable at ${url}: ${String(lastError)}`);
}
