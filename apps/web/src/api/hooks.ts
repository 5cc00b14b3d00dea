import { useQuery } from '@tanstack/react-query';
import type { CostDimension } from '@meridian/contracts';
import { api, setCsrfToken, type CostQuery, type CostScope } from './client';

export function useAccounts(opts: { fast?: boolean } = {}) {
  // Sync status changes while the dashboard is open (first sync, running syncs): poll it, faster
  // while a sync runs so its progress bar moves.
  return useQuery({
    queryKey: ['accounts'],
    queryFn: ({ signal }) => api.accounts(signal),
    refetchInterval: (q) => (opts.fast || q.state.data?.items.some((a) => a.lastSync?.status === 'running' || a.lastSync?.status === 'queued') ? 1500 : 5000),
  });
}

export function useSyncRuns(accountId: string | null) {
  return useQuery({
    queryKey: ['sync-runs', accountId],
    queryFn: ({ signal }) => api.syncRuns(accountId!, signal),
    enabled: accountId !== null,
    refetchInterval: 3000,
  });
}

export function useBreakdown(q: CostQuery & { groupBy: string[] }, enabled = true) {
  return useQuery({ queryKey: ['breakdown', q], queryFn: ({ signal }) => api.breakdown(q, signal), enabled });
}

export function useSummary(q: CostQuery, enabled = true) {
  return useQuery({ queryKey: ['summary', q], queryFn: ({ signal }) => api.summary(q, signal), enabled });
}

export function useTimeseries(q: CostQuery & { granularity: 'day' | 'month'; groupBy?: CostDimension }, enabled = true) {
  return useQuery({ queryKey: ['timeseries', q], queryFn: ({ signal }) => api.timeseries(q, signal), enabled });
}

export function useTop(q: CostQuery & { dimension: CostDimension; limit?: number }, enabled = true) {
  return useQuery({ queryKey: ['top', q], queryFn: ({ signal }) => api.top(q, signal), enabled });
}

export function useMonthOverMonth(q: CostScope & { month?: string; groupBy?: CostDimension }, enabled = true) {
  return useQuery({ queryKey: ['mom', q], queryFn: ({ signal }) => api.monthOverMonth(q, signal), enabled });
}

export function useForecast(q: CostScope, enabled = true) {
  return useQuery({ queryKey: ['forecast', q], queryFn: ({ signal }) => api.forecast(q, signal), enabled });
}

export function useCustomers(q: { accountIds?: string[]; includeSandbox?: boolean; month?: string; search?: string }) {
  return useQuery({ queryKey: ['customers', q], queryFn: ({ signal }) => api.customers(q, signal) });
}

export function useSubscriptions(accountId: string | null, customerId: string | null, month?: string) {
  return useQuery({
    queryKey: ['subscriptions', accountId, customerId, month],
    queryFn: ({ signal }) => api.subscriptions(accountId!, customerId!, month, signal),
    enabled: accountId !== null && customerId !== null,
  });
}

/** An endpoint that may not exist on this server yet: a 404 is "not available", not an error. */
export function useOptional<T>(path: string, enabled = true) {
  return useQuery({ queryKey: ['raw', path], queryFn: ({ signal }) => api.raw<T>(path, signal), enabled, retry: false });
}

export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async ({ signal }) => {
      const me = await api.me(signal);
      setCsrfToken(me.csrfToken);
      return me;
    },
    retry: false,
    staleTime: Infinity,
  });
}

export function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: ({ signal }) => api.users(signal) });
}

/**
 * Which routes this server has, from its OpenAPI document: features whose API is not deployed yet
 * show as unavailable instead of failing. Undefined while unknown (then pages just try).
 */
export function useHasRoute(path: string): boolean | undefined {
  const doc = useQuery({
    queryKey: ['openapi-paths'],
    queryFn: async ({ signal }) => new Set(Object.keys((await api.raw<{ paths?: Record<string, unknown> }>('/api/openapi.json', signal)).paths ?? {})),
    staleTime: Infinity,
    retry: false,
  });
  return doc.data ? doc.data.has(path) : undefined;
}

/** Organisation settings (reporting currency, rate precedence): rarely change, shared by every page. */
export function useSettings() {
  return useQuery({ queryKey: ['settings'], queryFn: ({ signal }) => api.settings(signal), staleTime: 60_000 });
}
