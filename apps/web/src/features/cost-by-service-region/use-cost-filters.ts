import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { defaultRange } from '../../ui/dates';

export interface CostFilters {
  from: string;
  to: string;
  /** Selected account ids; empty = every production account. */
  accountIds: string[];
  includeSandbox: boolean;
  /** Drill-down: the cell (service, region), then a customer, then one of its subscriptions. */
  service: string | null;
  region: string | null;
  customer: string | null;
  subscription: string | null;
  /** Reporting currency as in the URL: null = the organisation default, 'none' = each billing currency. */
  currency: string | null;
}

const DRILL = ['service', 'region', 'customer', 'subscription'] as const;

/** Every filter lives in the URL query, so a view can be bookmarked and shared. */
export function useCostFilters(): [CostFilters, (patch: Partial<CostFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo<CostFilters>(() => {
    const range = defaultRange();
    return {
      from: params.get('from') ?? range.from,
      to: params.get('to') ?? range.to,
      accountIds: (params.get('accounts') ?? '').split(',').filter(Boolean),
      includeSandbox: params.get('sandbox') === '1',
      service: params.get('service'),
      region: params.get('region'),
      customer: params.get('customer'),
      subscription: params.get('subscription'),
      currency: params.get('currency'),
    };
  }, [params]);

  const update = useCallback(
    (patch: Partial<CostFilters>) => {
      const next = { ...filters, ...patch };
      const p = new URLSearchParams();
      p.set('from', next.from);
      p.set('to', next.to);
      if (next.accountIds.length) p.set('accounts', next.accountIds.join(','));
      if (next.includeSandbox) p.set('sandbox', '1');
      for (const k of DRILL) if (next[k] !== null && next[k] !== undefined) p.set(k, next[k]);
      if (next.currency) p.set('currency', next.currency);
      setParams(p, { replace: false });
    },
    [filters, setParams],
  );
  return [filters, update];
}
