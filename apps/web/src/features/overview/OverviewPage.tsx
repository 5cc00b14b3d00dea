import type { Account, ForecastResponse, MonthOverMonthResponse } from '@meridian/contracts';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useAccounts, useBreakdown, useForecast, useMonthOverMonth, useSummary, useTop } from '../../api/hooks';
import { OpenAlerts } from '../alerts/OpenAlerts';
import { accountColumns } from '../../ui/accountColumns';
import { dateTime, monthLabel, presetRange } from '../../ui/dates';
import { DataTable, type DataColumn } from '../../ui/DataTable';
import { compareDecimals, formatMoney } from '../../ui/decimal';
import { AccountFields } from '../../ui/Filters';
import { FreshnessBadge } from '../../ui/Freshness';
import { cloudLabel } from '../../ui/labels';
import { LazyHBarChart } from '../../ui/LazyCharts';
import { Money } from '../../ui/Money';
import { Empty, ErrorState, Loading } from '../../ui/States';
import { byCurrency, RatesUsed, ReportingCurrencyField, useReportingCurrency } from '../../ui/reporting';
import { listParam, useUrlParams } from '../../ui/url-state';

const BY_CLOUD_COLUMNS: DataColumn<{ keys: Record<string, string>; currency: string; amount: string }>[] = [
  { id: 'cloud', header: 'Cloud', rowHeader: true, value: (r) => cloudLabel(r.keys.cloud), cell: (r) => cloudLabel(r.keys.cloud) },
  { id: 'currency', header: 'Currency', value: (r) => r.currency, cell: (r) => r.currency },
  { id: 'amount', header: 'Month to date', numeric: true, total: true, money: (r) => ({ amount: r.amount, currency: r.currency }), cell: (r) => formatMoney(r.amount, r.currency) },
];

function ChangeText({ row }: { row: MonthOverMonthResponse['rows'][number] }) {
  const up = compareDecimals(row.change, '0') > 0;
  const sign = up ? '+' : '';
  return (
    <>
      <span className={up ? 'change-up' : 'change-down'} data-testid={`change-${row.currency}`}>
        {sign}
        {formatMoney(row.change, row.currency)}
        {row.changePercent !== null && ` (${sign}${row.changePercent} %)`}
      </span>
      <span className="kpi-note">vs {formatMoney(row.previousToDate, row.currency)} over the same days last month</span>
    </>
  );
}

function ForecastText({ f }: { f: ForecastResponse['currencies'][number] }) {
  return (
    <>
      <span data-testid={`forecast-${f.currency}`}>{formatMoney(f.monthEnd.total, f.currency)}</span>
      <span className="kpi-note">
        likely between {formatMoney(f.monthEnd.p10, f.currency)} and {formatMoney(f.monthEnd.p90, f.currency)}; {f.monthEnd.daysRemaining} days to go
      </span>
    </>
  );
}

/** Management's first page: this month so far, where it is heading, and how fresh the data is. */
export function OverviewPage() {
  const [params, setParams] = useUrlParams();
  const accountIds = listParam(params, 'accounts');
  const includeSandbox = params.get('sandbox') === '1';
  const scope = useMemo(() => ({ accountIds, includeSandbox }), [accountIds.join(','), includeSandbox]);
  const mtd = presetRange('mtd');
  const accounts = useAccounts();
  const all = accounts.data?.items ?? [];
  const ready = accounts.isSuccess && accounts.data.items.length > 0;
  const summary = useSummary({ ...scope, ...mtd }, ready);
  // The URL's choice, else the organisation's default reporting currency (Settings).
  const { currency: reportingCurrency, orgDefault } = useReportingCurrency(params.get('currency'));
  // Second queries: a missing rate (422) must not hide the per-currency figures.
  const reporting = useSummary({ ...scope, ...mtd, currency: reportingCurrency }, ready && reportingCurrency !== '');
  const choices = [...new Set([...all.map((a) => a.currency), 'EUR', 'USD', 'GBP'])].sort();
  const forecast = useForecast(scope, ready);
  const mom = useMonthOverMonth(scope, ready);
  const byCloud = useBreakdown({ ...scope, ...mtd, groupBy: ['cloud'] }, ready);
  const byCloudReporting = useBreakdown({ ...scope, ...mtd, groupBy: ['cloud'], currency: reportingCurrency }, ready && reportingCurrency !== '');
  const consolidated = reporting.data?.reporting;
  const cloudConsolidated = byCloudReporting.data?.reporting;
  const top = useTop({ ...scope, ...mtd, dimension: 'service', limit: 5 }, ready);

  const inView = all.filter((a: Account) => (includeSandbox || !a.sandbox) && (accountIds.length === 0 || accountIds.includes(a.id)));
  const currencies = summary.data?.totals.map((t) => t.currency) ?? [];
  const costOf = (a: Account) => summary.data?.byAccount.find((c) => c.accountId === a.id);
  const accountTableColumns: DataColumn<Account>[] = [
    ...accountColumns(),
    { id: 'data', header: 'Data', sortable: false, cell: (a) => <FreshnessBadge account={a} /> },
    { id: 'lastSync', header: 'Last good sync', value: (a) => a.lastSuccessAt, cell: (a) => dateTime(a.lastSuccessAt) },
    {
      id: 'mtd',
      header: 'Month to date',
      numeric: true,
      total: true,
      money: (a) => costOf(a),
      cell: (a) => {
        const cost = costOf(a);
        return cost ? formatMoney(cost.amount, cost.currency) : '—';
      },
    },
    ...(consolidated
      ? [
          {
            id: 'converted',
            header: `In ${consolidated.currency}`,
            numeric: true,
            money: (a: Account) => {
              const c = consolidated.byAccount.find((b) => b.accountId === a.id);
              return c ? { amount: c.amount, currency: consolidated.currency } : null;
            },
            cell: (a: Account) => {
              const c = consolidated.byAccount.find((b) => b.accountId === a.id);
              return c ? formatMoney(c.amount, consolidated.currency) : '—';
            },
          },
        ]
      : []),
  ];

  return (
    <>
      <header className="page-header">
        <h1>Overview</h1>
        <p className="subtitle">
          {monthLabel(mtd.from.slice(0, 7))}, {mtd.from} to {mtd.to} · {reportingCurrency ? `consolidated in ${reportingCurrency}, and each account in its billing currency` : 'each account in its billing currency'}
        </p>
      </header>
      {accounts.isPending && <Loading what="accounts" />}
      {accounts.isError && <ErrorState error={accounts.error} />}
      {accounts.data && all.length === 0 && (
        <Empty>
          <h2>No Partner Center account connected yet</h2>
          <p>
            <Link to="/accounts">Connect an account</Link>, or start the demo with <code>npm start</code>.
          </p>
        </Empty>
      )}
      {ready && (
        <>
          <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
            <AccountFields
              accounts={all}
              accountIds={accountIds}
              includeSandbox={includeSandbox}
              onChange={(v) => setParams({ accounts: v.accountIds, sandbox: v.includeSandbox })}
            />
            <ReportingCurrencyField value={reportingCurrency} orgDefault={orgDefault} choices={choices} onChange={(v) => setParams({ currency: v })} />
          </form>

          <section aria-labelledby="kpi-heading">
            <h2 id="kpi-heading">Month to date</h2>
            {reportingCurrency && reporting.isPending && <Loading what={`totals in ${reportingCurrency}`} />}
            {reportingCurrency && reporting.isError && <ErrorState error={reporting.error} />}
            {reporting.data?.reporting && (
              <div className="kpi-card consolidated" data-testid="reporting-card">
                <h3>All accounts in {reporting.data.reporting.currency}</h3>
                <p className="kpi-value">
                  <Money amount={reporting.data.reporting.total} currency={reporting.data.reporting.currency} testId="mtd-reporting" />
                </p>
                <RatesUsed ratesUsed={reporting.data.reporting.ratesUsed} conflicts={reporting.data.reporting.rateConflicts} />
              </div>
            )}
            {summary.isPending && <Loading what="totals" />}
            {summary.isError && <ErrorState error={summary.error} />}
            {summary.data && currencies.length === 0 && <Empty>No cost yet this month for these accounts.</Empty>}
            <div className="kpis">
              {summary.data?.totals.map((t) => {
                const f = forecast.data?.currencies.find((c) => c.currency === t.currency);
                const m = mom.data?.rows.find((r) => r.currency === t.currency);
                return (
                  <article key={t.currency} className="kpi-card" aria-labelledby={`kpi-${t.currency}`} data-currency={t.currency}>
                    <h3 id={`kpi-${t.currency}`}>{t.currency}</h3>
                    <dl>
                      <div>
                        <dt>Month to date</dt>
                        <dd className="kpi-value">
                          <Money amount={t.amount} currency={t.currency} testId={`mtd-${t.currency}`} />
                        </dd>
                      </div>
                      <div>
                        <dt>Forecast month end</dt>
                        <dd>{forecast.isPending ? '…' : f ? <ForecastText f={f} /> : forecast.isError ? 'unavailable' : '—'}</dd>
                      </div>
                      <div>
                        <dt>Change vs last month</dt>
                        <dd>{mom.isPending ? '…' : m ? <ChangeText row={m} /> : mom.isError ? 'unavailable' : '—'}</dd>
                      </div>
                    </dl>
                  </article>
                );
              })}
            </div>
            {forecast.isError && <ErrorState error={forecast.error} />}
            {mom.isError && <ErrorState error={mom.error} />}
          </section>

          <div className="grid-2">
            <section aria-labelledby="cloud-heading">
              <h2 id="cloud-heading">Spend by cloud</h2>
              {byCloud.isPending && <Loading what="spend by cloud" />}
              {byCloud.isError && <ErrorState error={byCloud.error} />}
              {byCloudReporting.isError && <ErrorState error={byCloudReporting.error} />}
              {byCloud.data && byCloud.data.rows.length === 0 && <Empty>No cost yet this month.</Empty>}
              {byCloud.data && byCloud.data.rows.length > 0 && (
                <>
                  {/* Never two currencies on one axis: consolidated, or one chart per currency. */}
                  {cloudConsolidated ? (
                    <>
                      <LazyHBarChart
                        label={`Bar chart of month-to-date spend per cloud in ${cloudConsolidated.currency}`}
                        data={cloudConsolidated.rows.map((r) => ({ label: cloudLabel(r.keys.cloud), amount: r.amount, currency: cloudConsolidated.currency }))}
                      />
                      <DataTable
                        testId="by-cloud-reporting"
                        label={`Spend by cloud in ${cloudConsolidated.currency}, table`}
                        rows={cloudConsolidated.rows}
                        rowKey={(r) => r.keys.cloud}
                        rowProps={(r) => ({ 'data-cloud': r.keys.cloud })}
                        columns={[
                          { id: 'cloud', header: 'Cloud', rowHeader: true, value: (r) => cloudLabel(r.keys.cloud), cell: (r) => cloudLabel(r.keys.cloud) },
                          { id: 'amount', header: `In ${cloudConsolidated.currency}`, numeric: true, money: (r) => ({ amount: r.amount, currency: cloudConsolidated.currency }), cell: (r) => formatMoney(r.amount, cloudConsolidated.currency) },
                        ]}
                      />
                      <RatesUsed ratesUsed={cloudConsolidated.ratesUsed} conflicts={cloudConsolidated.rateConflicts} />
                    </>
                  ) : (
                    byCurrency(byCloud.data.rows).map(([currency, rows]) => (
                      <div key={currency} className="currency-block" data-currency={currency}>
                        <h3>{currency}</h3>
                        <LazyHBarChart label={`Bar chart of month-to-date spend per cloud in ${currency}`} data={rows.map((r) => ({ label: cloudLabel(r.keys.cloud), amount: r.amount, currency }))} />
                      </div>
                    ))
                  )}
                  <DataTable
                    testId="by-cloud"
                    label="Spend by cloud, table"
                    rows={byCloud.data.rows}
                    rowKey={(r) => `${r.keys.cloud}-${r.currency}`}
                    rowProps={(r) => ({ 'data-cloud': r.keys.cloud, 'data-currency': r.currency })}
                    columns={BY_CLOUD_COLUMNS}
                    totalTestId={(currency) => `by-cloud-total-${currency}`}
                  />
                </>
              )}
            </section>

            <section aria-labelledby="top-heading">
              <h2 id="top-heading">Top services</h2>
              {top.isPending && <Loading what="top services" />}
              {top.isError && <ErrorState error={top.error} />}
              {top.data && top.data.currencies.length === 0 && <Empty>No cost yet this month.</Empty>}
              {top.data?.currencies.map((c) => (
                <DataTable
                  key={c.currency}
                  testId={`top-services-${c.currency}`}
                  label={`Top services in ${c.currency}`}
                  caption={c.currency}
                  rows={c.items}
                  rowKey={(i) => i.key}
                  columns={[
                    { id: 'rank', header: '#', value: (i) => i.rank, cell: (i) => i.rank, hideable: false },
                    {
                      id: 'service',
                      header: 'Service',
                      rowHeader: true,
                      value: (i) => i.label,
                      cell: (i) => <Link to={`/costs/service-region?from=${mtd.from}&to=${mtd.to}&service=${encodeURIComponent(i.key)}`}>{i.label}</Link>,
                    },
                    { id: 'amount', header: 'Month to date', numeric: true, money: (i) => ({ amount: i.amount, currency: c.currency }), cell: (i) => formatMoney(i.amount, c.currency) },
                  ]}
                  columnMenu={false}
                  footer={[
                    { key: 'others', label: 'All other services', cells: { amount: formatMoney(c.others, c.currency) }, cellProps: { amount: { className: 'num' } } },
                    { key: 'total', label: 'Total', cells: { amount: formatMoney(c.total, c.currency) } },
                  ]}
                />
              ))}
            </section>
          </div>

          <section aria-labelledby="acct-heading">
            <h2 id="acct-heading">Spend by account and data freshness</h2>
            {consolidated && summary.data ? (
              <LazyHBarChart
                label={`Bar chart of month-to-date spend per account in ${consolidated.currency}`}
                data={consolidated.byAccount.map((a) => ({ label: summary.data.byAccount.find((b) => b.accountId === a.accountId)?.accountName ?? a.accountId, amount: a.amount, currency: consolidated.currency }))}
              />
            ) : (
              summary.data &&
              summary.data.byAccount.some((a) => !/^0(\.0*)?$/.test(a.amount)) &&
              byCurrency(summary.data.byAccount).map(([currency, list]) => (
                <div key={currency} className="currency-block" data-currency={currency}>
                  <h3>{currency}</h3>
                  <LazyHBarChart label={`Bar chart of month-to-date spend per account in ${currency}`} data={list.map((a) => ({ label: a.accountName, amount: a.amount, currency }))} />
                </div>
              ))
            )}
            <DataTable
              testId="overview-accounts"
              label="Spend by account, table"
              rows={inView}
              rowKey={(a) => a.id}
              rowProps={(a) => ({ 'data-account': a.id })}
              columns={accountTableColumns}
              totalTestId={(currency) => `overview-accounts-total-${currency}`}
              footer={
                consolidated
                  ? [{ key: 'reporting', label: `Total in ${consolidated.currency}`, cells: { converted: formatMoney(consolidated.total, consolidated.currency) }, cellProps: { converted: { className: 'num total', 'data-testid': 'overview-accounts-total-reporting' } } }]
                  : undefined
              }
            />
          </section>

          <OpenAlerts />
        </>
      )}
    </>
  );
}
