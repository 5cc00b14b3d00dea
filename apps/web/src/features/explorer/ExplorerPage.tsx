import { COST_DIMENSIONS, type BreakdownRow, type CostDimension, type TimeSeriesResponse } from '@meridian/contracts';
import { useMemo, useState } from 'react';
import { ApiRequestError, scopeParams, type DimensionFilters } from '../../api/client';
import { useAccounts, useBreakdown, useCustomers, useHasRoute, useTimeseries } from '../../api/hooks';
import { defaultRange, isPreset, presetRange } from '../../ui/dates';
import { DataTable, type DataColumn } from '../../ui/DataTable';
import { addDecimals, compareDecimals, formatMoney } from '../../ui/decimal';
import { AccountFields, PeriodFields } from '../../ui/Filters';
import { cloudLabel } from '../../ui/labels';
import { LazyStackedBarChart, type StackedData } from '../../ui/LazyCharts';
import { RatesUsed, ReportingCurrencyField, useReportingCurrency } from '../../ui/reporting';
import { Empty, ErrorState, Loading } from '../../ui/States';
import { listParam, useUrlParams } from '../../ui/url-state';
import { SavedViews } from '../views/SavedViews';

const DIM_LABEL: Record<CostDimension, string> = {
  service: 'Service',
  region: 'Region',
  account: 'Account',
  cloud: 'Cloud',
  customer: 'Customer',
  subscription: 'Subscription',
  resourceGroup: 'Resource group',
  meter: 'Meter',
  chargeType: 'Charge type',
  invoice: 'Invoice',
  tag: 'Tag',
};
const isDim = (v: string): v is CostDimension => (COST_DIMENSIONS as readonly string[]).includes(v);
const MAX_SERIES = 8;

/** The explorer's whole state, read from (and written to) the URL. */
function useExplorerState() {
  const [params, set] = useUrlParams();
  const preset = params.get('preset');
  const range = isPreset(preset) ? presetRange(preset) : { ...defaultRange(), ...(params.get('from') ? { from: params.get('from')! } : {}), ...(params.get('to') ? { to: params.get('to')! } : {}) };
  const group = listParam(params, 'group').filter(isDim).slice(0, 2);
  const filters: DimensionFilters = {};
  for (const d of COST_DIMENSIONS) {
    const v = listParam(params, d);
    if (v.length) filters[d] = v;
  }
  return {
    params,
    set,
    state: {
      preset: isPreset(preset) ? preset : ('custom' as const),
      ...range,
      group: group.length ? group : (['service'] as CostDimension[]),
      granularity: params.get('gran') === 'month' ? ('month' as const) : ('day' as const),
      accountIds: listParam(params, 'accounts'),
      includeSandbox: params.get('sandbox') === '1',
      includeEstimated: params.get('estimated') === '1',
      tagKey: params.get('tagKey') ?? undefined,
      /** As in the URL: null = the organisation's default reporting currency, 'none' = none. */
      currencyParam: params.get('currency'),
      filters,
    },
  };
}

/** Top series by total (exact), the rest summed into "Other": a chart stays readable. */
function stackedFrom(ts: TimeSeriesResponse, currency: string, label: (k: string) => string): { data: StackedData; rows: { period: string; cells: (string | undefined)[]; total: string }[] } {
  const points = ts.points.filter((p) => p.currency === currency);
  const byKey = new Map<string, string[]>();
  for (const p of points) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p.amount]);
  const ranked = [...byKey.entries()].map(([k, v]) => [k, addDecimals(v)] as const).sort((a, b) => compareDecimals(b[1], a[1]));
  const keep = new Set(ranked.slice(0, ranked.length > MAX_SERIES ? MAX_SERIES - 1 : MAX_SERIES).map(([k]) => k));
  const series = [...keep].map(label);
  if (ranked.length > keep.size) series.push('Other');
  const cell = new Map<string, string[]>();
  for (const p of points) {
    const s = keep.has(p.key) ? label(p.key) : 'Other';
    const id = `${p.period}\u0000${s}`;
    cell.set(id, [...(cell.get(id) ?? []), p.amount]);
  }
  const value = (period: string, s: string) => {
    const v = cell.get(`${period}\u0000${s}`);
    return v ? addDecimals(v) : undefined;
  };
  const rows = ts.periods.map((period) => {
    const cells = series.map((s) => value(period, s));
    return { period, cells, total: addDecimals(cells.filter((c): c is string => c !== undefined)) };
  });
  return { data: { currency, categories: ts.periods, series, value }, rows };
}

async function download(kind: 'csv' | 'xlsx', query: URLSearchParams, setMessage: (m: string) => void) {
  const res = await fetch(`/api/exports/costs.${kind}?${query}`, { credentials: 'same-origin' });
  if (res.status === 404) return setMessage(`${kind === 'csv' ? 'CSV' : 'Excel'} export is not available on this server yet.`);
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    return setMessage(new ApiRequestError(res.status, body).message);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `meridian-costs.${kind}`;
  a.click();
  URL.revokeObjectURL(url);
  setMessage(`Downloaded meridian-costs.${kind}.`);
}

/** Group by one or two dimensions, filter, choose the period and granularity: chart, table, export. */
export function ExplorerPage() {
  const { set, state } = useExplorerState();
  const accounts = useAccounts();
  const [message, setMessage] = useState<string | null>(null);
  const hasCsv = useHasRoute('/api/exports/costs.csv');
  const hasXlsx = useHasRoute('/api/exports/costs.xlsx');
  const [newFilter, setNewFilter] = useState<{ dim: CostDimension; value: string }>({ dim: 'service', value: '' });
  const needsTag = state.group.includes('tag') || !!state.filters.tag;
  const scope = { from: state.from, to: state.to, accountIds: state.accountIds, includeSandbox: state.includeSandbox, includeEstimated: state.includeEstimated, filters: state.filters, tagKey: state.tagKey };
  const ready = accounts.isSuccess && (!needsTag || !!state.tagKey);
  const { currency, orgDefault } = useReportingCurrency(state.currencyParam);
  const breakdown = useBreakdown({ ...scope, groupBy: state.group }, ready);
  // Converted figures come from a second query, so a missing rate (422) leaves the rest on screen.
  const converted = useBreakdown({ ...scope, groupBy: state.group, currency }, ready && currency !== '');
  const reporting = converted.data?.reporting;
  const groupKey = (keys: Record<string, string>) => state.group.map((g) => keys[g]).join('\u0000');
  // One map, not a search per row: a sorted or windowed list of thousands of rows reads it often.
  const convertedByKey = useMemo(() => new Map((reporting?.rows ?? []).map((r) => [state.group.map((g) => r.keys[g]).join('\u0000'), r.amount])), [reporting, state.group.join(',')]);
  const convertedOf = (keys: Record<string, string>) => convertedByKey.get(groupKey(keys));
  const series = useTimeseries({ ...scope, granularity: state.granularity, groupBy: state.group[0] }, ready);
  const seriesConverted = useTimeseries({ ...scope, granularity: state.granularity, groupBy: state.group[0], currency }, ready && currency !== '');
  const trendReporting = seriesConverted.data?.reporting;
  const wantsCustomers = state.group.includes('customer');
  const customers = useCustomers({ accountIds: state.accountIds, includeSandbox: state.includeSandbox });

  const label = useMemo(() => {
    const accountNames = new Map((accounts.data?.items ?? []).map((a) => [a.id, a.name]));
    const customerNames = new Map(wantsCustomers || state.group[0] === 'customer' ? (customers.data?.items ?? []).map((c) => [c.id, c.name]) : []);
    return (dim: CostDimension, key: string) =>
      key === '' ? '(none)' : dim === 'account' ? (accountNames.get(key) ?? key) : dim === 'cloud' ? cloudLabel(key) : dim === 'customer' ? (customerNames.get(key) ?? key) : key;
  }, [accounts.data, customers.data, wantsCustomers, state.group]);

  const currencies = breakdown.data?.totals.map((t) => t.currency) ?? [];
  const sorted = useMemo(
    () => [...(breakdown.data?.rows ?? [])].sort((a, b) => a.currency.localeCompare(b.currency) || compareDecimals(b.amount, a.amount)),
    [breakdown.data],
  );

  const exportQuery = () => scopeParams(scope, new URLSearchParams({ from: state.from, to: state.to, groupBy: state.group.join(',') }));
  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setMessage('Link copied: it opens this exact view.');
    } catch {
      setMessage('Copy the address bar: it holds this exact view.');
    }
  };
  const addFilter = (dim: CostDimension, value: string) => {
    const values = [...new Set([...(state.filters[dim] ?? []), value])];
    set({ [dim]: values });
  };

  return (
    <>
      <header className="page-header">
        <h1>Cost explorer</h1>
        <p className="subtitle">
          {state.from} to {state.to} · by {state.group.map((g) => DIM_LABEL[g].toLowerCase()).join(' and ')}, per {state.granularity} · {currency ? `consolidated in ${currency}, and ` : ''}each currency apart
        </p>
      </header>
      {accounts.isPending && <Loading what="accounts" />}
      {accounts.isError && <ErrorState error={accounts.error} />}
      {accounts.data && accounts.data.items.length === 0 && <Empty>No Partner Center account connected yet.</Empty>}
      {accounts.data && accounts.data.items.length > 0 && (
        <>
          <form className="filters" aria-label="Explorer settings" onSubmit={(e) => e.preventDefault()}>
            <PeriodFields
              preset={state.preset}
              from={state.from}
              to={state.to}
              onChange={(v) => set(v.preset === 'custom' ? { preset: null, from: v.from, to: v.to } : { preset: v.preset, from: null, to: null })}
            />
            <fieldset>
              <legend>Grouping</legend>
              <label>
                Group by
                <select value={state.group[0]} onChange={(e) => set({ group: [e.target.value, ...state.group.slice(1).filter((g) => g !== e.target.value)] })}>
                  {COST_DIMENSIONS.map((d) => (
                    <option key={d} value={d}>
                      {DIM_LABEL[d]}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                then by
                <select value={state.group[1] ?? ''} onChange={(e) => set({ group: [state.group[0], e.target.value].filter(Boolean) })}>
                  <option value="">(nothing)</option>
                  {COST_DIMENSIONS.filter((d) => d !== state.group[0]).map((d) => (
                    <option key={d} value={d}>
                      {DIM_LABEL[d]}
                    </option>
                  ))}
                </select>
              </label>
              {needsTag && (
                <label>
                  Tag key
                  <input value={state.tagKey ?? ''} onChange={(e) => set({ tagKey: e.target.value }, { replace: true })} />
                </label>
              )}
              <div className="presets" role="group" aria-label="Granularity">
                {(['day', 'month'] as const).map((g) => (
                  <button key={g} type="button" aria-pressed={state.granularity === g} onClick={() => set({ gran: g === 'day' ? null : g })}>
                    Per {g}
                  </button>
                ))}
              </div>
            </fieldset>
            <AccountFields
              accounts={accounts.data.items}
              accountIds={state.accountIds}
              includeSandbox={state.includeSandbox}
              onChange={(v) => set({ accounts: v.accountIds, sandbox: v.includeSandbox })}
            />
            <fieldset>
              <legend>Legacy Azure</legend>
              <label className="check">
                <input type="checkbox" checked={state.includeEstimated} onChange={(e) => set({ estimated: e.target.checked ? '1' : null })} />
                Include estimated cost (utilization × rate card)
              </label>
            </fieldset>
            <ReportingCurrencyField
              value={currency}
              orgDefault={orgDefault}
              choices={[...new Set([...accounts.data.items.map((a) => a.currency), 'EUR', 'USD', 'GBP'])]}
              onChange={(v) => set({ currency: v })}
            />
            <fieldset>
              <legend>Filters</legend>
              {Object.entries(state.filters).map(([d, values]) =>
                values!.map((v) => (
                  <button key={`${d}=${v}`} type="button" className="chip" onClick={() => set({ [d]: values!.filter((x) => x !== v) })} title="Remove this filter">
                    {DIM_LABEL[d as CostDimension]} = {label(d as CostDimension, v)} <span aria-hidden="true">✕</span>
                  </button>
                )),
              )}
              <label>
                Dimension
                <select value={newFilter.dim} onChange={(e) => setNewFilter({ ...newFilter, dim: e.target.value as CostDimension })}>
                  {COST_DIMENSIONS.map((d) => (
                    <option key={d} value={d}>
                      {DIM_LABEL[d]}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Value <input value={newFilter.value} onChange={(e) => setNewFilter({ ...newFilter, value: e.target.value })} />
              </label>
              <button
                type="button"
                onClick={() => {
                  if (newFilter.value.trim()) addFilter(newFilter.dim, newFilter.value.trim());
                  setNewFilter({ ...newFilter, value: '' });
                }}
              >
                Add filter
              </button>
            </fieldset>
          </form>

          <div className="form-actions toolbar" role="group" aria-label="Export and share">
            <button type="button" disabled={hasCsv === false} onClick={() => void download('csv', exportQuery(), setMessage)}>
              Export CSV
            </button>
            <button type="button" disabled={hasXlsx === false} onClick={() => void download('xlsx', exportQuery(), setMessage)}>
              Export Excel
            </button>
            <button type="button" onClick={() => void copyLink()}>
              Copy link
            </button>
            {hasCsv === false && !message && <span className="kpi-note">exports are not available on this server yet; the link keeps this view</span>}
            {message && (
              <span role="status" className="kpi-note">
                {message}
              </span>
            )}
          </div>

          <SavedViews path="/explorer" suggestedName={`${state.group.map((g) => DIM_LABEL[g]).join(' × ')}, ${state.from} to ${state.to}`} />

          {needsTag && !state.tagKey && <Empty>Name the tag key to group or filter by tag.</Empty>}

          <section aria-labelledby="trend-heading">
            <h2 id="trend-heading">
              Trend per {state.granularity}, by {DIM_LABEL[state.group[0]].toLowerCase()}
            </h2>
            {series.isPending && ready && <Loading what="time series" />}
            {series.isError && <ErrorState error={series.error} />}
            {series.data && series.data.points.length === 0 && <Empty>No cost in this period for this selection.</Empty>}
            {currency && seriesConverted.isError && <ErrorState error={seriesConverted.error} />}
            {series.data && trendReporting && trendReporting.points.length > 0 && (() => {
              const rc = trendReporting.currency;
              const { data, rows } = stackedFrom({ ...series.data, points: trendReporting.points.map((p) => ({ ...p, currency: rc })) }, rc, (k) => label(state.group[0], k));
              return (
                <div className="currency-block consolidated" data-reporting-currency={rc}>
                  <h3>
                    All accounts in {rc} <span className="section-total" data-testid="trend-reporting-total">{formatMoney(trendReporting.total, rc)}</span>
                  </h3>
                  <LazyStackedBarChart data={data} label={`Stacked bar chart of cost per ${state.granularity}, all accounts in ${rc}`} height={280} />
                  <RatesUsed ratesUsed={trendReporting.ratesUsed} conflicts={trendReporting.rateConflicts} />
                  <details>
                    <summary>Chart data as a table ({rc}, all accounts)</summary>
                    <TrendTable testId="trend-reporting" label={`Cost per ${state.granularity} in ${rc}, all accounts, table`} granularity={state.granularity} series={data.series} rows={rows} currency={rc} />
                  </details>
                </div>
              );
            })()}
            {series.data &&
              series.data.totals.map((t, _i, all) => {
                const { data: raw, rows } = stackedFrom(series.data, t.currency, (k) => label(state.group[0], k));
                // One colour per series name across the currencies' charts ("Other" last).
                const names = [...new Set(all.flatMap((c) => stackedFrom(series.data, c.currency, (k) => label(state.group[0], k)).data.series))].filter((n) => n !== 'Other');
                const data = { ...raw, colorIndex: (s: string) => (s === 'Other' ? 11 : names.indexOf(s)) };
                return (
                  <div key={t.currency} className="currency-block" data-currency={t.currency}>
                    <h3>
                      {t.currency} <span className="section-total">{formatMoney(t.amount, t.currency)}</span>
                    </h3>
                    <LazyStackedBarChart data={data} label={`Stacked bar chart of cost per ${state.granularity} in ${t.currency}`} height={280} />
                    <details>
                      <summary>Chart data as a table ({t.currency})</summary>
                      <TrendTable testId={`trend-${t.currency}`} label={`Cost per ${state.granularity} in ${t.currency}, table`} granularity={state.granularity} series={data.series} rows={rows} currency={t.currency} />
                    </details>
                  </div>
                );
              })}
          </section>

          <section aria-labelledby="table-heading">
            <h2 id="table-heading">By {state.group.map((g) => DIM_LABEL[g].toLowerCase()).join(' and ')}</h2>
            {breakdown.isPending && ready && <Loading what="breakdown" />}
            {breakdown.isError && <ErrorState error={breakdown.error} />}
            {currency && converted.isError && <ErrorState error={converted.error} />}
            {reporting && <RatesUsed ratesUsed={reporting.ratesUsed} conflicts={reporting.rateConflicts} />}
            {breakdown.data && sorted.length === 0 && <Empty>No cost in this period for this selection.</Empty>}
            {breakdown.data && sorted.length > 0 && (
              <DataTable
                testId="explorer-table"
                label="Breakdown table"
                caption="Choose a value to filter by it"
                rows={sorted}
                rowKey={(r) => `${r.currency}-${state.group.map((g) => r.keys[g]).join('|')}`}
                columns={[
                  ...state.group.map(
                    (g, i): DataColumn<BreakdownRow> => ({
                      id: g,
                      header: DIM_LABEL[g],
                      rowHeader: i === 0,
                      value: (r) => label(g, r.keys[g]),
                      cell: (r) => (
                        <button type="button" className="cell-button" onClick={() => addFilter(g, r.keys[g])}>
                          {label(g, r.keys[g])}
                        </button>
                      ),
                    }),
                  ),
                  { id: 'cost', header: 'Cost', numeric: true, money: (r) => ({ amount: r.amount, currency: r.currency }), cell: (r) => formatMoney(r.amount, r.currency) },
                  ...(reporting
                    ? [
                        {
                          id: 'converted',
                          header: `In ${reporting.currency}`,
                          numeric: true,
                          money: (r: BreakdownRow) => {
                            const v = convertedOf(r.keys);
                            return v === undefined ? null : { amount: v, currency: reporting.currency };
                          },
                          cell: (r: BreakdownRow) => {
                            const v = convertedOf(r.keys);
                            return v === undefined ? '—' : formatMoney(v, reporting.currency);
                          },
                        },
                      ]
                    : []),
                ]}
                footer={[
                  // The API's exact totals per billing currency, and the consolidated one.
                  ...breakdown.data.totals.map((t) => ({
                    key: t.currency,
                    label: `Total ${t.currency}`,
                    cells: { cost: formatMoney(t.amount, t.currency) },
                    cellProps: { cost: { className: 'num total', 'data-testid': `explorer-total-${t.currency}` } },
                  })),
                  ...(reporting
                    ? [
                        {
                          key: 'reporting',
                          label: `All currencies in ${reporting.currency}`,
                          cells: { cost: '', converted: formatMoney(reporting.total, reporting.currency) },
                          cellProps: { converted: { className: 'num total', 'data-testid': 'explorer-total-reporting' } },
                        },
                      ]
                    : []),
                ]}
                virtualize
              />
            )}
            {currencies.length > 1 && <p className="kpi-note">Amounts in different currencies are never added together.</p>}
          </section>
        </>
      )}
    </>
  );
}

/** The trend chart's data as a table: one row per period, one column per series, then the total. */
function TrendTable(props: {
  testId: string;
  label: string;
  granularity: string;
  series: readonly string[];
  rows: readonly { period: string; cells: readonly (string | undefined)[]; total: string }[];
  currency: string;
}) {
  type TrendRow = (typeof props.rows)[number];
  const money = (v: string | undefined) => (v === undefined ? null : { amount: v, currency: props.currency });
  return (
    <DataTable
      testId={props.testId}
      label={props.label}
      rows={props.rows}
      rowKey={(r) => r.period}
      columns={[
        { id: 'period', header: props.granularity === 'day' ? 'Day' : 'Month', rowHeader: true, value: (r: TrendRow) => r.period, cell: (r: TrendRow) => r.period },
        ...props.series.map((name, i) => ({
          id: `series-${i}`,
          header: name,
          numeric: true,
          total: true,
          money: (r: TrendRow) => money(r.cells[i]),
          cell: (r: TrendRow) => (r.cells[i] === undefined ? '—' : formatMoney(r.cells[i]!, props.currency)),
        })),
        { id: 'total', header: 'Total', numeric: true, total: true, className: 'total', money: (r: TrendRow) => money(r.total), cell: (r: TrendRow) => formatMoney(r.total, props.currency) },
      ]}
      totalLabel={() => 'Total'}
      totalTestId={(_c, column) => (column === 'total' ? `${props.testId}-footer-total` : undefined)}
      virtualize
    />
  );
}
