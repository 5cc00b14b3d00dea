import { useQuery } from '@tanstack/react-query';
import { api, setCsrfToken, type CostQuery } from './client';

export function useAccounts() {
  // Sync status changes while the dashboard is open (first sync, running syncs): poll it.
  return useQuery({ queryKey: ['accounts'], queryFn: ({ signal }) => api.accounts(signal), refetchInterval: 5000 });
}

export function useBreakdown(q: CostQuery & { groupBy: string[] }, enabled = true) {
  return useQuery({ queryKey: ['breakdown', q], queryFn: ({ signal }) => api.breakdown(q, signal), enabled });
}

export function useSummary(q: CostQuery, enabled = true) {
  return useQuery({ queryKey: ['summary', q], queryFn: ({ signal }) => api.summary(q, signal), enabled });
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
