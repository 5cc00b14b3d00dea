import type { Customer, Subscription } from '@meridian/contracts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useAccounts, useCustomers, useSubscriptions } from '../../api/hooks';
import { monthLabel, shiftMonth, thisMonth } from '../../ui/dates';
import { DataTable, type DataColumn } from '../../ui/DataTable';
import { compareDecimals, formatMoney } from '../../ui/decimal';
import { AccountFields } from '../../ui/Filters';
import { Empty, ErrorState, Loading } from '../../ui/States';
import { listParam, useUrlParams } from '../../ui/url-state';

function lastDayOf(month: string) {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Plans first, each followed by the Azure subscriptions under it. */
function ordered(items: Subscription[]): { s: Subscription; depth: number }[] {
  const children = new Map<string, Subscription[]>();
  for (const s of items) if (s.parentId) children.set(s.parentId, [...(children.get(s.parentId) ?? []), s]);
  const ids = new Set(items.map((s) => s.id));
  const roots = items.filter((s) => !s.parentId || !ids.has(s.parentId));
  const out: { s: Subscription; depth: number }[] = [];
  const walk = (s: Subscription, depth: number) => {
    out.push({ s, depth });
    for (const c of children.get(s.id) ?? []) walk(c, depth + 1);
  };
  roots.forEach((r) => walk(r, 0));
  return out;
}

function Subscriptions({ customer, month }: { customer: Customer; month: string }) {
  const subs = useSubscriptions(customer.accountId, customer.id, month);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [customer.id]);
  const from = `${month}-01`;
  const to = month === thisMonth() ? new Date().toISOString().slice(0, 10) : lastDayOf(month);
  return (
    <section aria-labelledby="subs-heading" data-testid="subscriptions">
      <h2 id="subs-heading" ref={heading} tabIndex={-1}>
        Subscriptions of {customer.name}
      </h2>
      <p className="subtitle">
        {customer.accountName} · {monthLabel(month)} ·{' '}
        <Link to={`/explorer?from=${from}&to=${to}&customer=${encodeURIComponent(customer.id)}&accounts=${customer.accountId}&group=subscription,service`}>
          Explore this customer&apos;s costs
        </Link>
      </p>
      {subs.isPending && <Loading what="subscriptions" />}
      {subs.isError && <ErrorState error={subs.error} />}
      {subs.data && subs.data.items.length === 0 && <Empty>No subscription.</Empty>}
      {subs.data && subs.data.items.length > 0 && (
        <DataTable
          testId="subscriptions-table"
          label="Subscriptions, table"
          rows={ordered(subs.data.items)}
          rowKey={({ s }) => s.id}
          rowProps={({ s }) => ({ 'data-subscription': s.id })}
          columns={SUBSCRIPTION_COLUMNS}
        />
      )}
    </section>
  );
}

const SUBSCRIPTION_COLUMNS: DataColumn<{ s: Subscription; depth: number }>[] = [
  {
    id: 'name',
    header: 'Subscription',
    rowHeader: true,
    value: ({ s }) => s.name,
    cellProps: ({ depth }) => ({ style: { paddingLeft: 8 + depth * 20 } }),
    cell: ({ s }) => (
      <>
        {s.name}
        <div className="kpi-note">{s.id}</div>
      </>
    ),
  },
  { id: 'kind', header: 'Kind', value: ({ s }) => s.kind, cell: ({ s }) => s.kind },
  { id: 'offer', header: 'Offer', value: ({ s }) => s.offerId, cell: ({ s }) => s.offerId ?? '—' },
  { id: 'status', header: 'Status', value: ({ s }) => s.status, cell: ({ s }) => s.status },
  { id: 'cost', header: 'Cost', numeric: true, total: true, money: ({ s }) => ({ amount: s.cost, currency: s.currency }), cell: ({ s }) => formatMoney(s.cost, s.currency) },
];

/** Customers of every granted account with this month's cost; a customer opens its subscriptions. */
export function CustomersPage() {
  const [params, set] = useUrlParams();
  const month = params.get('month') ?? thisMonth();
  const search = params.get('search') ?? '';
  const accountIds = listParam(params, 'accounts');
  const includeSandbox = params.get('sandbox') === '1';
  const selected = params.get('customer');
  const [draft, setDraft] = useState(search);
  const accounts = useAccounts();
  const customers = useCustomers({ accountIds, includeSandbox, month, search: search || undefined });
  const items = useMemo(
    () => [...(customers.data?.items ?? [])].sort((a, b) => a.currency.localeCompare(b.currency) || compareDecimals(b.cost, a.cost) || a.name.localeCompare(b.name)),
    [customers.data],
  );
  const chosen = items.find((c) => `${c.accountId}:${c.id}` === selected);
  const customerColumns = useMemo<DataColumn<Customer>[]>(
    () => [
      {
        id: 'name',
        header: 'Customer',
        rowHeader: true,
        value: (c) => c.name,
        cell: (c) => {
          const key = `${c.accountId}:${c.id}`;
          return (
            <button type="button" className="cell-button" aria-pressed={key === selected} onClick={() => set({ customer: key === selected ? null : key })}>
              {c.name}
            </button>
          );
        },
      },
      { id: 'account', header: 'Account', value: (c) => c.accountName, cell: (c) => c.accountName },
      { id: 'domain', header: 'Domain', value: (c) => c.domain, cell: (c) => c.domain ?? '—' },
      { id: 'country', header: 'Country', value: (c) => c.country, cell: (c) => c.country ?? '—' },
      { id: 'subscriptions', header: 'Subscriptions', numeric: true, value: (c) => c.subscriptionCount, cell: (c) => c.subscriptionCount },
      { id: 'cost', header: 'Cost', numeric: true, total: true, money: (c) => ({ amount: c.cost, currency: c.currency }), cell: (c) => formatMoney(c.cost, c.currency) },
    ],
    [selected, set],
  );

  return (
    <>
      <header className="page-header">
        <h1>Customers and subscriptions</h1>
        <p className="subtitle">{monthLabel(month)} · cost in each account&apos;s billing currency</p>
      </header>
      <form
        className="filters"
        aria-label="Filters"
        onSubmit={(e) => {
          e.preventDefault();
          set({ search: draft.trim() });
        }}
      >
        <fieldset>
          <legend>Month and search</legend>
          <label>
            Month <input type="month" value={month} max={thisMonth()} onChange={(e) => e.target.value && set({ month: e.target.value === thisMonth() ? null : e.target.value })} />
          </label>
          <button type="button" onClick={() => set({ month: shiftMonth(month, -1) })}>
            Previous month
          </button>
          <label>
            Customer name or domain <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
          </label>
          <button type="submit">Search</button>
        </fieldset>
        {accounts.data && (
          <AccountFields accounts={accounts.data.items} accountIds={accountIds} includeSandbox={includeSandbox} onChange={(v) => set({ accounts: v.accountIds, sandbox: v.includeSandbox })} />
        )}
      </form>
      {chosen && <Subscriptions customer={chosen} month={month} />}
      <section aria-labelledby="customers-heading">
        <h2 id="customers-heading">Customers</h2>
        {customers.isPending && <Loading what="customers" />}
        {customers.isError && <ErrorState error={customers.error} />}
        {customers.data && items.length === 0 && <Empty>{search ? `No customer matches “${search}”.` : 'No customer synced yet.'}</Empty>}
        {items.length > 0 && (
          <DataTable
            testId="customers-table"
            className="stack"
            label="Customers, table"
            caption="Choose a customer to see its subscriptions"
            rows={items}
            rowKey={(c) => `${c.accountId}:${c.id}`}
            rowProps={(c) => ({ 'data-customer': c.id, className: `${c.accountId}:${c.id}` === selected ? 'selected' : undefined })}
            columns={customerColumns}
            totalTestId={(currency) => `customers-total-${currency}`}
            virtualize
          />
        )}
      </section>
    </>
  );
}
