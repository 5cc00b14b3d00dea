import type { Account, ForecastResponse, MonthOverMonthResponse } from '@meridian/contracts';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useAccounts, useBreakdown, useForecast, useMonthOverMonth, useSummary, useTop } from '../../api/hooks';
import { OpenAlerts } from '../alerts/OpenAlerts';
import { dateTime, monthLabel, presetRange } from '../../ui/dates';
import { compareDecimals, formatMoney } from '../../ui/decimal';
import { AccountFields } from '../../ui/Filters';
import { FreshnessBadge } from '../../ui/Freshness';
import { cloudLabel } from '../../ui/labels';
import { LazyHBarChart } from '../../ui/LazyCharts';
import { Money } from '../../ui/Money';
import { Empty, ErrorState, Loading } from '../../ui/States';
import { listParam, useUrlParams } from '../../ui/url-state';


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
  const reportingCurrency = params.get('currency') ?? '';
  // A second query: a missing rate (422) must not hide the per-currency figures.
  const reporting = useSummary({ ...scope, ...mtd, currency: reportingCurrency }, ready && reportingCurrency !== '');
  const choices = [...new Set([...all.map((a) => a.currency), 'EUR', 'USD', 'GBP'])].sort();
  const forecast = useForecast(scope, ready);
  const mom = useMonthOverMonth(scope, ready);
  const byCloud = useBreakdown({ ...scope, ...mtd, groupBy: ['cloud'] }, ready);
  const top = useTop({ ...scope, ...mtd, dimension: 'service', limit: 5 }, ready);

  const inView = all.filter((a: Account) => (includeSandbox || !a.sandbox) && (accountIds.length === 0 || accountIds.includes(a.id)));
  const currencies = summary.data?.totals.map((t) => t.currency) ?? [];

  return (
    <>
      <header className="page-header">
        <h1>Overview</h1>
        <p className="subtitle">
          {monthLabel(mtd.from.slice(0, 7))}, {mtd.from} to {mtd.to} · each account in its billing currency
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
            <fieldset>
              <legend>Reporting currency</legend>
              <label>
                Consolidate into
                <select value={reportingCurrency} onChange={(e) => setParams({ currency: e.target.value })}>
                  <option value="">(none: each billing currency)</option>
                  {choices.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
            </fieldset>
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
                <details>
                  <summary>Rates used ({reporting.data.reporting.ratesUsed.length})</summary>
                  <div className="table-wrap" tabIndex={0} role="region" aria-label="Exchange rates used">
                    <table data-testid="rates-used">
                      <thead>
                        <tr>
                          <th scope="col">Month</th>
                          <th scope="col">From</th>
                          <th scope="col">To</th>
                          <th scope="col" className="num">
                            Factor
                          </th>
                          <th scope="col">How</th>
                          <th scope="col">Locked</th>
                        </tr>
                      </thead>
                      <tbody>
                        {reporting.data.reporting.ratesUsed.map((r) => (
                          <tr key={`${r.from}${r.to}${r.period}`}>
                            <th scope="row">{r.period}</th>
                            <td>{r.from}</td>
                            <td>{r.to}</td>
                            <td className="num">{r.factor}</td>
                            <td>{r.how}</td>
                            <td>{r.locked ? 'yes' : 'no'}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </details>
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
              {byCloud.data && byCloud.data.rows.length === 0 && <Empty>No cost yet this month.</Empty>}
              {byCloud.data && byCloud.data.rows.length > 0 && (
                <>
                  {byCloud.data.rows.length > 0 && (
                    <LazyHBarChart
                      label="Bar chart of month-to-date spend per cloud and currency"
                      data={byCloud.data.rows.map((r) => ({ label: `${cloudLabel(r.keys.cloud)} (${r.currency})`, amount: r.amount, currency: r.currency }))}
                    />
                  )}
                  <div className="table-wrap" tabIndex={0} role="region" aria-label="Spend by cloud, table">
                    <table data-testid="by-cloud">
                      <thead>
                        <tr>
                          <th scope="col">Cloud</th>
                          <th scope="col">Currency</th>
                          <th scope="col" className="num">
                            Month to date
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {byCloud.data.rows.map((r) => (
                          <tr key={`${r.keys.cloud}-${r.currency}`} data-cloud={r.keys.cloud} data-currency={r.currency}>
                            <th scope="row">{cloudLabel(r.keys.cloud)}</th>
                            <td>{r.currency}</td>
                            <td className="num">{formatMoney(r.amount, r.currency)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </>
              )}
            </section>

            <section aria-labelledby="top-heading">
              <h2 id="top-heading">Top services</h2>
              {top.isPending && <Loading what="top services" />}
              {top.isError && <ErrorState error={top.error} />}
              {top.data && top.data.currencies.length === 0 && <Empty>No cost yet this month.</Empty>}
              {top.data?.currencies.map((c) => (
                <div key={c.currency} className="table-wrap" tabIndex={0} role="region" aria-label={`Top services in ${c.currency}`}>
                  <table data-testid={`top-services-${c.currency}`}>
                    <caption>{c.currency}</caption>
                    <thead>
                      <tr>
                        <th scope="col">#</th>
                        <th scope="col">Service</th>
                        <th scope="col" className="num">
                          Month to date
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.items.map((i) => (
                        <tr key={i.key}>
                          <td>{i.rank}</td>
                          <th scope="row">
                            <Link to={`/costs/service-region?from=${mtd.from}&to=${mtd.to}&service=${encodeURIComponent(i.key)}`}>{i.label}</Link>
                          </th>
                          <td className="num">{formatMoney(i.amount, c.currency)}</td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr>
                        <td />
                        <th scope="row">All other services</th>
                        <td className="num">{formatMoney(c.others, c.currency)}</td>
                      </tr>
                      <tr>
                        <td />
                        <th scope="row">Total</th>
                        <td className="num total">{formatMoney(c.total, c.currency)}</td>
                      </tr>
                    </tfoot>
                  </table>
                </div>
              ))}
            </section>
          </div>

          <section aria-labelledby="acct-heading">
            <h2 id="acct-heading">Spend by account and data freshness</h2>
            {summary.data && summary.data.byAccount.some((a) => !/^0(\.0*)?$/.test(a.amount)) && (
              <LazyHBarChart
                label="Bar chart of month-to-date spend per account, each in its own currency"
                data={summary.data.byAccount.map((a) => ({ label: `${a.accountName} (${a.currency})`, amount: a.amount, currency: a.currency }))}
              />
            )}
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Spend by account, table">
              <table data-testid="overview-accounts">
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Cloud</th>
                    <th scope="col">Data</th>
                    <th scope="col">Last good sync</th>
                    <th scope="col" className="num">
                      Month to date
                    </th>
                    {reporting.data?.reporting && (
                      <th scope="col" className="num">
                        In {reporting.data.reporting.currency}
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {inView.map((a) => {
                    const cost = summary.data?.byAccount.find((c) => c.accountId === a.id);
                    const converted = reporting.data?.reporting?.byAccount.find((c) => c.accountId === a.id);
                    return (
                      <tr key={a.id} data-account={a.id}>
                        <th scope="row">
                          {a.name} {a.sandbox && <span className="badge badge-sandbox">Sandbox</span>}
                        </th>
                        <td>{cloudLabel(a.cloud)}</td>
                        <td>
                          <FreshnessBadge account={a} />
                        </td>
                        <td>{dateTime(a.lastSuccessAt)}</td>
                        <td className="num">{cost ? formatMoney(cost.amount, cost.currency) : '—'}</td>
                        {reporting.data?.reporting && (
                          <td className="num">{converted ? formatMoney(converted.amount, reporting.data.reporting.currency) : '—'}</td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>

          <OpenAlerts />
        </>
      )}
    </>
  );
}
