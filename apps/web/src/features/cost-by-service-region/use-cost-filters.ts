import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { defaultRange } from '../../ui/dates';

export interface CostFilters {
  from: string;
  to: string;
  /** Selected account ids; empty = every production account. */
  accountIds: string[];
  includeSandbox: boolean;
}

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
      setParams(p, { replace: false });
    },
    [filters, setParams],
  );
  return [filters, update];
}
