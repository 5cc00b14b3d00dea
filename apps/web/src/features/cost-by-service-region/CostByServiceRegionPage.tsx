import { lazy, Suspense, useMemo } from 'react';
import { useAccounts, useBreakdown, useSummary } from '../../api/hooks';
import { formatMoney } from '../../ui/decimal';
import { Empty, ErrorState, Loading } from '../../ui/States';
import { AccountsTable } from './AccountsTable';
import { CostFiltersBar } from './CostFiltersBar';
import { DrillDown } from './DrillDown';
import { buildMatrices } from './service-region-matrix';
import { ServiceRegionTable } from './ServiceRegionTable';
import { useCostFilters } from './use-cost-filters';

const ServiceRegionChart = lazy(() => import('./charts').then((m) => ({ default: m.ServiceRegionChart })));
const AccountsChart = lazy(() => import('./charts').then((m) => ({ default: m.AccountsChart })));

/** Cloudyn's "Cost by Services and Regions", across every connected Partner Center account. */
export function CostByServiceRegionPage() {
  const [filters, setFilters] = useCostFilters();
  const accounts = useAccounts();
  const query = useMemo(
    () => ({ from: filters.from, to: filters.to, accountIds: filters.accountIds, includeSandbox: filters.includeSandbox }),
    [filters],
  );
  const breakdown = useBreakdown({ ...query, groupBy: ['service', 'region'] }, accounts.isSuccess);
  const summary = useSummary(query, accounts.isSuccess);
  const matrices = useMemo(() => buildMatrices(breakdown.data?.rows ?? []), [breakdown.data]);

  const inView = (accounts.data?.items ?? []).filter(
    (a) => (filters.includeSandbox || !a.sandbox) && (filters.accountIds.length === 0 || filters.accountIds.includes(a.id)),
  );
  const anySynced = (accounts.data?.items ?? []).some((a) => a.lastSuccessAt);

  return (
    <>
      <header className="page-header">
        <h1>Cost by service and region</h1>
        <p className="subtitle">
          {filters.from} to {filters.to} · amounts in each account&apos;s billing currency, never added across currencies
        </p>
      </header>

      {accounts.isPending && <Loading what="accounts" />}
      {accounts.isError && <ErrorState error={accounts.error} />}
      {accounts.data && accounts.data.items.length === 0 && (
        <Empty>
          <h2>No Partner Center account connected yet</h2>
          <p>
            Connect one with <code>npm run meridian -- accounts add</code>, or start the demo with <code>npm start</code>.
          </p>
        </Empty>
      )}

      {accounts.data && accounts.data.items.length > 0 && (
        <>
          <CostFiltersBar filters={filters} accounts={accounts.data.items} onChange={setFilters} />

          {(filters.service || filters.region) && <DrillDown filters={filters} onChange={setFilters} />}

          <section aria-labelledby="accounts-heading">
            <h2 id="accounts-heading">Accounts</h2>
            {summary.data && summary.data.byAccount.length > 0 && (
              <Suspense fallback={<Loading what="chart" />}>
                <AccountsChart summary={summary.data} />
              </Suspense>
            )}
            <AccountsTable accounts={inView} summary={summary.data} />
          </section>

          {breakdown.isPending && <Loading what="costs" />}
          {breakdown.isError && <ErrorState error={breakdown.error} />}
          {breakdown.data && matrices.length === 0 && (
            <Empty>
              {anySynced ? (
                <p>No cost in this period for the selected accounts.</p>
              ) : (
                <p>The first sync is running; costs appear here as soon as it finishes.</p>
              )}
            </Empty>
          )}
          {matrices.map((m) => (
            <section key={m.currency} className="currency-section" aria-labelledby={`h-${m.currency}`} data-currency={m.currency}>
              <h2 id={`h-${m.currency}`}>
                {m.currency} <span className="section-total">{formatMoney(m.total, m.currency)}</span>
              </h2>
              <Suspense fallback={<Loading what="chart" />}>
                <ServiceRegionChart matrix={m} />
              </Suspense>
              <ServiceRegionTable
                matrix={m}
                selected={{ service: filters.service, region: filters.region }}
                onSelect={(d) => setFilters({ ...d, customer: null, subscription: null })}
              />
            </section>
          ))}
        </>
      )}
    </>
  );
}
