import { lazy, Suspense, useMemo } from 'react';
import { useAccounts, useBreakdown, useSummary } from '../../api/hooks';
import { formatMoney } from '../../ui/decimal';
import { byCurrency, RatesUsed, ReportingCurrencyField, useReportingCurrency } from '../../ui/reporting';
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
  // Consolidated in the URL's or the organisation's reporting currency: separate queries, so a
  // missing rate (422) leaves the per-currency report on screen.
  const { currency, orgDefault } = useReportingCurrency(filters.currency);
  const consolidated = useBreakdown({ ...query, groupBy: ['service', 'region'], currency }, accounts.isSuccess && currency !== '');
  const consolidatedSummary = useSummary({ ...query, currency }, accounts.isSuccess && currency !== '');
  const reporting = consolidated.data?.reporting;
  const reportingMatrix = useMemo(
    () => (reporting ? buildMatrices(reporting.rows.map((r) => ({ keys: r.keys, currency: reporting.currency, amount: r.amount })))[0] : undefined),
    [reporting],
  );
  const summaryReporting = consolidatedSummary.data?.reporting;

  const inView = (accounts.data?.items ?? []).filter(
    (a) => (filters.includeSandbox || !a.sandbox) && (filters.accountIds.length === 0 || filters.accountIds.includes(a.id)),
  );
  const anySynced = (accounts.data?.items ?? []).some((a) => a.lastSuccessAt);

  return (
    <>
      <header className="page-header">
        <h1>Cost by service and region</h1>
        <p className="subtitle">
          {filters.from} to {filters.to} · {currency ? `consolidated in ${currency}, then ` : ''}amounts in each account&apos;s billing currency, never added across currencies
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
          <form className="filters" aria-label="Reporting currency" onSubmit={(e) => e.preventDefault()}>
            <ReportingCurrencyField
              value={currency}
              orgDefault={orgDefault}
              choices={[...new Set([...accounts.data.items.map((a) => a.currency), 'EUR', 'USD', 'GBP'])]}
              onChange={(v) => setFilters({ currency: v })}
            />
          </form>

          {(filters.service || filters.region) && <DrillDown filters={filters} onChange={setFilters} />}

          <section aria-labelledby="accounts-heading">
            <h2 id="accounts-heading">Accounts</h2>
            {/* Never two currencies on one axis: consolidated, or one chart per currency. */}
            {summary.data && summary.data.byAccount.length > 0 && (
              <Suspense fallback={<Loading what="chart" />}>
                {summaryReporting ? (
                  <AccountsChart
                    currency={summaryReporting.currency}
                    accounts={summaryReporting.byAccount.map((a) => ({ name: summary.data.byAccount.find((b) => b.accountId === a.accountId)?.accountName ?? a.accountId, amount: a.amount, currency: summaryReporting.currency }))}
                  />
                ) : (
                  byCurrency(summary.data.byAccount).map(([c, list]) => (
                    <div key={c} className="currency-block" data-currency={c}>
                      <h3>{c}</h3>
                      <AccountsChart currency={c} accounts={list.map((a) => ({ name: a.accountName, amount: a.amount, currency: c }))} />
                    </div>
                  ))
                )}
              </Suspense>
            )}
            <AccountsTable accounts={inView} summary={summary.data} />
          </section>

          {currency && consolidated.isPending && <Loading what={`costs in ${currency}`} />}
          {currency && consolidated.isError && <ErrorState error={consolidated.error} />}
          {reporting && reportingMatrix && (
            <section className="consolidated-section" aria-labelledby="h-consolidated" data-reporting-currency={reporting.currency}>
              <h2 id="h-consolidated">
                All accounts in {reporting.currency} <span className="section-total" data-testid="consolidated-total">{formatMoney(reporting.total, reporting.currency)}</span>
              </h2>
              <RatesUsed ratesUsed={reporting.ratesUsed} conflicts={reporting.rateConflicts} />
              <Suspense fallback={<Loading what="chart" />}>
                <ServiceRegionChart matrix={reportingMatrix} />
              </Suspense>
              <ServiceRegionTable
                testId="reporting"
                matrix={reportingMatrix}
                selected={{ service: filters.service, region: filters.region }}
                onSelect={(d) => setFilters({ ...d, customer: null, subscription: null })}
              />
            </section>
          )}
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
