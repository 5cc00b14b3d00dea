import type { Customer, Subscription } from '@meridian/contracts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useAccounts, useCustomers, useSubscriptions } from '../../api/hooks';
import { monthLabel, shiftMonth, thisMonth } from '../../ui/dates';
import { addDecimals, compareDecimals, formatMoney } from '../../ui/decimal';
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
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Subscriptions, table">
          <table data-testid="subscriptions-table">
            <thead>
              <tr>
                <th scope="col">Subscription</th>
                <th scope="col">Kind</th>
                <th scope="col">Offer</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {ordered(subs.data.items).map(({ s, depth }) => (
                <tr key={s.id} data-subscription={s.id}>
                  <th scope="row" style={{ paddingLeft: 8 + depth * 20 }}>
                    {s.name}
                    <div className="kpi-note">{s.id}</div>
                  </th>
                  <td>{s.kind}</td>
                  <td>{s.offerId ?? '—'}</td>
                  <td>{s.status}</td>
                  <td className="num">{formatMoney(s.cost, s.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

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
  const totals = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const c of items) m.set(c.currency, [...(m.get(c.currency) ?? []), c.cost]);
    return [...m].map(([currency, v]) => ({ currency, amount: addDecimals(v) }));
  }, [items]);
  const chosen = items.find((c) => `${c.accountId}:${c.id}` === selected);

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
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Customers, table">
            <table data-testid="customers-table" className="stack">
              <caption>Choose a customer to see its subscriptions</caption>
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">Account</th>
                  <th scope="col">Domain</th>
                  <th scope="col">Country</th>
                  <th scope="col" className="num">
                    Subscriptions
                  </th>
                  <th scope="col" className="num">
                    Cost
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => {
                  const key = `${c.accountId}:${c.id}`;
                  return (
                    <tr key={key} data-customer={c.id} className={key === selected ? 'selected' : undefined}>
                      <th scope="row">
                        <button type="button" className="cell-button" aria-pressed={key === selected} onClick={() => set({ customer: key === selected ? null : key })}>
                          {c.name}
                        </button>
                      </th>
                      <td data-label="Account">{c.accountName}</td>
                      <td data-label="Domain">{c.domain ?? '—'}</td>
                      <td data-label="Country">{c.country ?? '—'}</td>
                      <td className="num" data-label="Subscriptions">{c.subscriptionCount}</td>
                      <td className="num" data-label="Cost">{formatMoney(c.cost, c.currency)}</td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                {totals.map((t) => (
                  <tr key={t.currency}>
                    <th scope="row" colSpan={5}>
                      Total {t.currency}
                    </th>
                    <td className="num total" data-testid={`customers-total-${t.currency}`}>
                      {formatMoney(t.amount, t.currency)}
                    </td>
                  </tr>
                ))}
              </tfoot>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
