import type { LineItem, LineItemPage, TopResponse } from '@meridian/contracts';
import { useEffect, useRef } from 'react';
import { isNotFound } from '../../api/client';
import { useCustomers, useOptional, useTop } from '../../api/hooks';
import { DataTable, type DataColumn } from '../../ui/DataTable';
import { formatMoney, isZero } from '../../ui/decimal';
import { ErrorState, Loading, NotAvailable } from '../../ui/States';
import type { CostFilters } from './use-cost-filters';

type Level = 'customer' | 'subscription' | 'meter';

function RankedTable({ data, level, onPick, testId }: { data: TopResponse; level: Level; onPick?: (key: string) => void; testId: string }) {
  const heading = { customer: 'Customer', subscription: 'Subscription', meter: 'Meter' }[level];
  if (data.currencies.length === 0) return <p className="state state-empty">No cost for this selection.</p>;
  return (
    <>
      {data.currencies.map((c) => (
        <DataTable
          key={c.currency}
          testId={`${testId}-${c.currency}`}
          label={`${heading}s in ${c.currency}`}
          caption={c.currency}
          rows={c.items}
          rowKey={(i) => i.key}
          rowProps={(i) => ({ 'data-key': i.key })}
          columns={[
            {
              id: 'label',
              header: heading,
              rowHeader: true,
              value: (i) => i.label,
              cell: (i) =>
                onPick ? (
                  <button type="button" className="cell-button" onClick={() => onPick(i.key)}>
                    {i.label}
                  </button>
                ) : (
                  i.label
                ),
            },
            { id: 'cost', header: 'Cost', numeric: true, money: (i) => ({ amount: i.amount, currency: c.currency }), cell: (i) => formatMoney(i.amount, c.currency) },
          ]}
          footer={[
            ...(isZero(c.others) ? [] : [{ key: 'others', label: 'All others', cells: { cost: formatMoney(c.others, c.currency) }, cellProps: { cost: { className: 'num' } } }]),
            { key: 'total', label: 'Total', cells: { cost: formatMoney(c.total, c.currency) }, cellProps: { cost: { className: 'num total', 'data-testid': `${testId}-total-${c.currency}` } } },
          ]}
        />
      ))}
    </>
  );
}

const LINE_ITEM_LIMIT = 1000;
const text = (pick: (i: LineItem) => string, header: string, id: string, extra: Partial<DataColumn<LineItem>> = {}): DataColumn<LineItem> => ({
  id,
  header,
  value: pick,
  cell: (i) => pick(i) || '—',
  ...extra,
});
const LINE_ITEM_COLUMNS: DataColumn<LineItem>[] = [
  text((i) => i.day, 'Day', 'day', { rowHeader: true }),
  text((i) => i.customerName, 'Customer', 'customer'),
  text((i) => i.subscriptionId, 'Subscription', 'subscription'),
  text((i) => i.service, 'Service', 'service'),
  text((i) => i.region, 'Region', 'region'),
  text((i) => i.resourceGroup, 'Resource group', 'resourceGroup'),
  text((i) => i.resourceId, 'Resource', 'resource', { hiddenByDefault: true }),
  text((i) => i.meter, 'Meter', 'meter'),
  text((i) => i.chargeType, 'Charge type', 'chargeType'),
  { id: 'quantity', header: 'Quantity', numeric: true, value: (i) => i.quantity, cell: (i) => `${i.quantity} ${i.unit}` },
  { id: 'cost', header: 'Cost', numeric: true, total: true, money: (i) => ({ amount: i.amount, currency: i.currency }), cell: (i) => formatMoney(i.amount, i.currency) },
  text((i) => i.source, 'Source', 'source'),
  text((i) => i.invoiceId, 'Invoice', 'invoice', { hiddenByDefault: true }),
  text((i) => i.cloud, 'Cloud', 'cloud', { hiddenByDefault: true }),
];

/** Line items of the selection: one page of up to 1,000, a window of them in the DOM at a time. */
function LineItems({ params }: { params: URLSearchParams }) {
  const query = new URLSearchParams(params);
  query.set('limit', String(LINE_ITEM_LIMIT));
  const items = useOptional<LineItemPage>(`/api/costs/line-items?${query}`);
  if (items.isPending) return <Loading what="line items" />;
  if (items.isError) return isNotFound(items.error) ? <NotAvailable what="The line-item listing" /> : <ErrorState error={items.error} />;
  const rows = items.data.items;
  if (rows.length === 0) return <p className="state state-empty">No line item for this selection.</p>;
  return (
    <>
      <DataTable
        testId="line-items"
        label="Line items"
        rows={rows}
        rowKey={(i) => `${i.accountId}:${i.key}`}
        rowProps={(i) => ({ 'data-line-item': i.key })}
        columns={LINE_ITEM_COLUMNS}
        totalLabel={(currency) => `Total ${currency}${items.data.nextCursor ? `, first ${rows.length.toLocaleString()} line items` : ''}`}
        totalTestId={(currency) => `line-items-total-${currency}`}
        virtualize
      />
      {items.data.nextCursor && <p className="kpi-note">The first {rows.length.toLocaleString()} line items; export for all of them.</p>}
    </>
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
