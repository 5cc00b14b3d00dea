import type { AlertRule } from '@meridian/contracts';
import type { ScopeRef } from '@meridian/notify';
import { AccessScope, type AlertFireContent, type StreamState } from '@meridian/store';
import { contentKey, RuleConditions, RuleContext } from './rule-conditions';

type SyncHealthConfig = NonNullable<AlertRule['syncHealth']>;

/** Sync health is not periodic: one period, alerts resolve when the condition clears. */
export const SYNC_HEALTH_PERIOD = 'current';

/** Streams whose success means the cost data is fresh. */
const FRESHNESS_STREAMS = ['unbilled-usage', 'invoices', 'backfill'];

/** Token endpoint refusals (revoked or wrong secret) as the sync records them (partner-center errors.ts). */
export const AUTH_FAILURE = /HTTP 40[13]\b|invalid_client|unauthorized_client|invalid_grant|AADSTS\d+/i;
export const THROTTLED = /HTTP 429\b|throttl/i;

const hoursBetween = (from: string, to: Date) => (to.getTime() - Date.parse(from)) / 3_600_000;

/**
 * Per account: stale (no fresh-data success for staleHours), failing authentication (the latest run
 * of some stream failed on the token), throttled (the latest run failed with 429 and no success for
 * throttledHours), quarantined records (in the latest run of each stream). One condition each.
 */
export async function syncHealthConditions(rule: AlertRule, config: SyncHealthConfig, ctx: RuleContext): Promise<RuleConditions> {
  const accounts = (await ctx.store.accounts.list(AccessScope.all())).filter((a) => a.enabled && (!config.accountId || a.id === config.accountId));
  const states = await ctx.store.syncRuns.streamStates(accounts.map((a) => a.id));
  const latestRuns = new Map<string, { quarantined: number; stream: string }[]>();
  for (const a of accounts) {
    const runs = await ctx.store.syncRuns.listForAccount(AccessScope.all(), a.id, 20);
    const seen = new Set<string>();
    latestRuns.set(
      a.id,
      runs.filter((r) => !seen.has(r.stream) && seen.add(r.stream)).map((r) => ({ quarantined: r.quarantined, stream: r.stream })),
    );
  }

  const conditions: { thresholdId: string; active: boolean }[] = [];
  const content = new Map<string, AlertFireContent>();
  const add = (accountId: string, scope: ScopeRef[], check: string, active: boolean, condition: string, detail: Record<string, unknown>) => {
    const thresholdId = `${accountId}:${check}`;
    conditions.push({ thresholdId, active });
    content.set(contentKey(SYNC_HEALTH_PERIOD, thresholdId), {
      ruleName: rule.name,
      category: 'sync-health',
      condition,
      value: null,
      limit: null,
      accountIds: [accountId],
      detail: { scope, check, ...detail },
    });
  };

  for (const a of accounts) {
    const scope: ScopeRef[] = [{ kind: 'account', id: a.id, name: a.name }];
    const byStream = states.get(a.id) ?? new Map<string, StreamState>();
    const streams = [...byStream.entries()];
    const lastFresh = streams
      .filter(([s]) => FRESHNESS_STREAMS.includes(s))
      .map(([, st]) => st.lastSuccessAt)
      .filter((t): t is string => t !== null)
      .sort()
      .at(-1);
    const staleSince = lastFresh ?? a.createdAt;
    const staleHours = hoursBetween(staleSince, ctx.at);
    add(
      a.id,
      scope,
      'stale',
      staleHours >= config.staleHours,
      lastFresh ? `No fresh cost data for ${Math.floor(staleHours)} hours (last successful sync ${lastFresh})` : `No successful cost sync since the account was connected ${Math.floor(staleHours)} hours ago`,
      { lastSuccessAt: lastFresh ?? null, hours: Math.floor(staleHours), limitHours: config.staleHours },
    );

    if (config.authFailures) {
      const failing = streams.find(([, st]) => st.lastStatus === 'failed' && AUTH_FAILURE.test(st.lastError ?? ''));
      add(a.id, scope, 'auth', failing !== undefined, 'Partner Center refuses the account’s credentials (secret revoked or wrong)', {
        stream: failing?.[0] ?? null,
        error: failing?.[1].lastError ?? null,
      });
    }

    const throttled = streams.filter(([, st]) => st.lastStatus === 'failed' && THROTTLED.test(st.lastError ?? ''));
    const throttledLong = throttled.filter(([, st]) => hoursBetween(st.lastSuccessAt ?? a.createdAt, ctx.at) >= config.throttledHours);
    add(a.id, scope, 'throttled', throttledLong.length > 0, `Throttled by Partner Center (HTTP 429) without a successful sync for ${config.throttledHours} hours or more`, {
      streams: throttledLong.map(([s]) => s),
      limitHours: config.throttledHours,
    });

    const quarantined = (latestRuns.get(a.id) ?? []).reduce((n, r) => n + r.quarantined, 0);
    add(a.id, scope, 'quarantined', quarantined >= config.quarantinedAtLeast, `${quarantined} malformed record(s) quarantined by the latest sync`, {
      quarantined,
      limit: config.quarantinedAtLeast,
    });
  }
  return { periods: 'single', groups: [{ periodKey: SYNC_HEALTH_PERIOD, conditions }], content, status: null };
}
