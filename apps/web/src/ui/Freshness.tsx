import type { Account } from '@meridian/contracts';

/** fresh: a good usage sync within 2 h; stale: older; failing: the latest run failed. */
export function freshnessOf(account: Account, now = Date.now()): 'fresh' | 'stale' | 'failing' | 'never' {
  if (account.lastSync?.status === 'failed') return 'failing';
  if (!account.lastSuccessAt) return 'never';
  return now - Date.parse(account.lastSuccessAt) <= 2 * 3600_000 ? 'fresh' : 'stale';
}

const LABEL = { fresh: 'Fresh', stale: 'Stale', failing: 'Failing', never: 'Not synced yet' } as const;

export function FreshnessBadge({ account }: { account: Account }) {
  const state = freshnessOf(account);
  const when = account.lastSuccessAt ? new Date(account.lastSuccessAt).toLocaleString() : 'never';
  return (
    <span className={`badge badge-${state}`} title={`Last good sync: ${when}${account.lastSync?.error ? ` — ${account.lastSync.error}` : ''}`}>
      {LABEL[state]}
    </span>
  );
}
