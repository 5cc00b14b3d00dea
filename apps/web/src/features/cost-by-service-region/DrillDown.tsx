import type { TopResponse } from '@meridian/contracts';
import { useEffect, useRef } from 'react';
import { isNotFound } from '../../api/client';
import { useCustomers, useOptional, useTop } from '../../api/hooks';
import { formatMoney } from '../../ui/decimal';
import { ErrorState, Loading, NotAvailable } from '../../ui/States';
import type { CostFilters } from './use-cost-filters';

type Level = 'customer' | 'subscription' | 'meter';

function RankedTable({ data, level, onPick, testId }: { data: TopResponse; level: Level; onPick?: (key: string) => void; testId: string }) {
  const heading = { customer: 'Customer', subscription: 'Subscription', meter: 'Meter' }[level];
  if (data.currencies.length === 0) return <p className="state state-empty">No cost for this selection.</p>;
  return (
    <>
      {data.currencies.map((c) => (
        <div key={c.currency} className="table-wrap" tabIndex={0} role="region" aria-label={`${heading}s in ${c.currency}`}>
          <table data-testid={`${testId}-${c.currency}`}>
            <caption>{c.currency}</caption>
            <thead>
              <tr>
                <th scope="col">{heading}</th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {c.items.map((i) => (
                <tr key={i.key} data-key={i.key}>
                  <th scope="row">
                    {onPick ? (
                      <button type="button" className="cell-button" onClick={() => onPick(i.key)}>
                        {i.label}
                      </button>
                    ) : (
                      i.label
                    )}
                  </th>
                  <td className="num">{formatMoney(i.amount, c.currency)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              {c.others !== '0' && !/^0(\.0+)?$/.test(c.others) && (
                <tr>
                  <th scope="row">All others</th>
                  <td className="num">{formatMoney(c.others, c.currency)}</td>
                </tr>
              )}
              <tr>
                <th scope="row">Total</th>
                <td className="num total" data-testid={`${testId}-total-${c.currency}`}>
                  {formatMoney(c.total, c.currency)}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      ))}
    </>
  );
}

type Row = Record<string, unknown>;

/** Line items of the selection, once the line-items API is on this server; meters meanwhile. */
function LineItems({ params }: { params: URLSearchParams }) {
  const items = useOptional<{ items?: Row[] }>(`/api/costs/line-items?${params}`);
  if (items.isPending) return <Loading what="line items" />;
  if (items.isError) return isNotFound(items.error) ? <NotAvailable what="The line-item listing" /> : <ErrorState error={items.error} />;
  const rows = items.data.items ?? [];
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].slice(0, 10);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Line items">
      <table data-testid="line-items">
        <thead>
          <tr>
            {cols.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {cols.map((c) => (
                <td key={c}>{typeof r[c] === 'object' ? JSON.stringify(r[c]) : String(r[c] ?? '')}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Service/region cell → customers → subscriptions → meters and line items, all in the URL. */
export function DrillDown({ filters, onChange }: { filters: CostFilters; onChange: (patch: Partial<CostFilters>) => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const base = { from: filters.from, to: filters.to, accountIds: filters.accountIds, includeSandbox: filters.includeSandbox };
  const dims = {
    ...(filters.service ? { service: [filters.service] } : {}),
    ...(filters.region ? { region: [filters.region] } : {}),
  };
  const level: Level = filters.subscription ? 'meter' : filters.customer ? 'subscription' : 'customer';
  const withCustomer = filters.customer ? { ...dims, customer: [filters.customer] } : dims;
  const withSub = filters.subscription ? { ...withCustomer, subscription: [filters.subscription] } : withCustomer;
  const customers = useTop({ ...base, filters: dims, dimension: 'customer', limit: 100 });
  const subs = useTop({ ...base, filters: withCustomer, dimension: 'subscription', limit: 100 }, level !== 'customer');
  const meters = useTop({ ...base, filters: withSub, dimension: 'meter', limit: 100 }, level === 'meter');
  const catalog = useCustomers({ accountIds: filters.accountIds, includeSandbox: filters.includeSandbox });

  useEffect(() => heading.current?.focus(), [filters.service, filters.region, filters.customer, filters.subscription]);

  const label = (r: TopResponse | undefined, key: string | null) =>
    r?.currencies.flatMap((c) => c.items).find((i) => i.key === key)?.label ?? catalog.data?.items.find((c) => c.id === key)?.name ?? key;
  const what = [filters.service, filters.region && `in ${filters.region}`].filter(Boolean).join(' ');
  const lineParams = new URLSearchParams({ from: filters.from, to: filters.to });
  if (filters.accountIds.length) lineParams.set('accountIds', filters.accountIds.join(','));
  if (filters.includeSandbox) lineParams.set('includeSandbox', 'true');
  for (const [k, v] of Object.entries(withSub)) lineParams.set(k, v.join(','));

  const current = level === 'customer' ? customers : level === 'subscription' ? subs : meters;
  return (
    <section aria-labelledby="drill-heading" data-testid="drill-down">
      <div className="section-head">
        <h2 id="drill-heading" ref={heading} tabIndex={-1}>
          Drill-down: {what || 'selection'}
        </h2>
        <button type="button" onClick={() => onChange({ service: null, region: null, customer: null, subscription: null })}>
          Close drill-down
        </button>
      </div>
      <nav className="breadcrumbs" aria-label="Drill-down path">
        <ol>
          <li>
            {level === 'customer' ? (
              <span aria-current="page">Customers</span>
            ) : (
              <button type="button" className="cell-button" onClick={() => onChange({ customer: null, subscription: null })}>
                Customers
              </button>
            )}
          </li>
          {filters.customer && (
            <li>
              {level === 'subscription' ? (
                <span aria-current="page">{label(customers.data, filters.customer)}</span>
              ) : (
                <button type="button" className="cell-button" onClick={() => onChange({ subscription: null })}>
                  {label(customers.data, filters.customer)}
                </button>
              )}
            </li>
          )}
          {filters.subscription && (
            <li>
              <span aria-current="page">{label(subs.data, filters.subscription)}</span>
            </li>
          )}
        </ol>
      </nav>
      {current.isPending && <Loading what={`${level}s`} />}
      {current.isError && <ErrorState error={current.error} />}
      {level === 'customer' && customers.data && (
        <RankedTable data={customers.data} level="customer" testId="drill-customers" onPick={(customer) => onChange({ customer, subscription: null })} />
      )}
      {level === 'subscription' && subs.data && (
        <RankedTable data={subs.data} level="subscription" testId="drill-subscriptions" onPick={(subscription) => onChange({ subscription })} />
      )}
      {level === 'meter' && (
        <>
          {meters.data && <RankedTable data={meters.data} level="meter" testId="drill-meters" />}
          <h3>Line items</h3>
          <LineItems params={lineParams} />
        </>
      )}
    </section>
  );
}
