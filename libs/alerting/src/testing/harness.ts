import { randomBytes } from 'node:crypto';
import { startSimulator } from '@meridian/pc-sim';
import { createTestStore, SecretBox, Store, TestStore } from '@meridian/store';
import { AccountSync, connectSimulatorAccounts, PartnerCenterClients, SimulatorAccount } from '@meridian/sync';
import { alertingConfigFromEnv, type AlertingConfig } from '../alerting.config';

export const quiet = { log: () => undefined, error: () => undefined };

/** Simulator at a fixed clock + a throwaway store with its accounts connected + the real sync. */
export async function startAlertingHarness(kind: 'sqlite' | 'postgres', opts: { now: Date; seed?: number; profile?: 'demo' | 'sandbox' }) {
  const sim = await startSimulator({ port: 0, seed: opts.seed ?? 42, now: opts.now, profile: opts.profile ?? 'demo', graphDelaySeconds: 0 });
  const test: TestStore = await createTestStore(kind);
  const key = randomBytes(32);
  const store = await Store.open(test.config, SecretBox.fromKey(key));
  const accounts: SimulatorAccount[] = await connectSimulatorAccounts(store, sim.url);
  const sync = new AccountSync(store, new PartnerCenterClients({ retryBaseMs: 10, timeoutMs: 5000 }), quiet);
  const simPost = async (path: string, body: unknown = {}) => {
    const res = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  return {
    sim,
    test,
    store,
    key,
    accounts,
    sync,
    /** Sets the simulator's clock; returns it. */
    async setClock(now: Date): Promise<Date> {
      const r = await simPost('/_sim/clock', { now: now.toISOString() });
      return new Date(String(r.now));
    },
    simPost,
    async simGet<T>(path: string): Promise<T> {
      const res = await fetch(`${sim.url}${path}`);
      if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
      return (await res.json()) as T;
    },
    /** Another Store on the same database (a second worker). */
    openSecondStore: () => Store.open(test.config, SecretBox.fromKey(key)),
    async close() {
      await store.close();
      await test.drop();
      await sim.close();
    },
  };
}

/** Alerting settings for tests: a local SMTP server, fast retries. */
export function testAlertingConfig(smtpUrl: string | null, overrides: Partial<AlertingConfig['delivery']> = {}): AlertingConfig {
  const config = alertingConfigFromEnv({
    ...(smtpUrl ? { MERIDIAN_SMTP_URL: smtpUrl } : {}),
    MERIDIAN_SMTP_FROM: 'Meridian Alerts <alerts@meridian.test>',
    MERIDIAN_PUBLIC_URL: 'https://meridian.example.test/app',
  });
  return { ...config, delivery: { attempts: 5, baseMs: 20, maxMs: 200, ...overrides } };
}
