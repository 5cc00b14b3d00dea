import type { Invoice, InvoiceList, Reconciliation } from '@meridian/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { api, isNotFound } from '../../api/client';
import { useAccounts } from '../../api/hooks';
import { compareDecimals, formatMoney } from '../../ui/decimal';
import { AccountFields } from '../../ui/Filters';
import { Empty, ErrorState, Loading, NotAvailable } from '../../ui/States';
import { listParam, useUrlParams } from '../../ui/url-state';

const STATUSES = ['paid', 'partly-paid', 'unpaid', 'overdue', 'credit'] as const;
const STATUS_LABEL: Record<string, string> = { paid: 'Paid', 'partly-paid': 'Partly paid', unpaid: 'Unpaid', overdue: 'Overdue', credit: 'Credit note' };

function ReconciliationView({ invoice }: { invoice: Invoice }) {
  const rec = useQuery({
    queryKey: ['reconciliation', invoice.accountId, invoice.id],
    queryFn: ({ signal }) =>
      api.raw<Reconciliation>(`/api/accounts/${encodeURIComponent(invoice.accountId)}/invoices/${encodeURIComponent(invoice.id)}/reconciliation`, signal),
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [invoice.id]);
  const c = invoice.currency;
  return (
    <section aria-labelledby="rec-heading" data-testid="reconciliation">
      <h2 id="rec-heading" ref={heading} tabIndex={-1}>
        Reconciliation of invoice {invoice.id}
      </h2>
      <p className="subtitle">
        {invoice.accountName} · {invoice.periodStart} to {invoice.periodEnd} · the invoice&apos;s line items against its billed usage, per customer
      </p>
      {rec.isPending && <Loading what="reconciliation" />}
      {rec.isError && <ErrorState error={rec.error} />}
      {rec.data && (
        <>
          <p role="status" className={rec.data.mismatches ? 'result-bad' : 'result-ok'} data-testid="rec-summary">
            {rec.data.mismatches
              ? `${rec.data.mismatches} customer${rec.data.mismatches === 1 ? '' : 's'} differ by more than ${formatMoney(rec.data.tolerance, c)}.`
              : `Every customer matches within ${formatMoney(rec.data.tolerance, c)}.`}
          </p>
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Reconciliation per customer, table">
            <table data-testid="reconciliation-table">
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col" className="num">
                    Invoiced (line items)
                  </th>
                  <th scope="col" className="num">
                    Billed usage
                  </th>
                  <th scope="col" className="num">
                    Difference
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {[...rec.data.rows]
                  .sort((a, b) => (a.status === b.status ? a.customerName.localeCompare(b.customerName) : a.status === 'mismatch' ? -1 : 1))
                  .map((r) => (
                    <tr key={r.customerId} data-customer={r.customerId} data-status={r.status}>
                      <th scope="row">{r.customerName}</th>
                      <td className="num">{formatMoney(r.invoiced, c)}</td>
                      <td className="num">{formatMoney(r.usage, c)}</td>
                      <td className={r.status === 'mismatch' ? 'num diff-bad' : 'num'}>{formatMoney(r.difference, c)}</td>
                      <td>
                        <span className={`badge badge-${r.status}`}>{r.status === 'ok' ? 'Matches' : 'Difference'}</span>
                      </td>
                    </tr>
                  ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  <td className="num total">{formatMoney(rec.data.totals.invoiced, c)}</td>
                  <td className="num total">{formatMoney(rec.data.totals.usage, c)}</td>
                  <td className="num total">{formatMoney(rec.data.totals.difference, c)}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Invoices of every granted account with payment status; one opens its reconciliation. */
export function InvoicesPage() {
  const [params, set] = useUrlParams();
  const accountIds = listParam(params, 'accounts');
  const includeSandbox = params.get('sandbox') === '1';
  const status = params.get('status');
  const selected = params.get('invoice');
  const accounts = useAccounts();
  const q = new URLSearchParams();
  if (accountIds.length) q.set('accountIds', accountIds.join(','));
  if (includeSandbox) q.set('includeSandbox', 'true');
  if (status) q.set('status', status);
  const invoices = useQuery({ queryKey: ['invoices', q.toString()], queryFn: ({ signal }) => api.raw<InvoiceList>(`/api/invoices?${q}`, signal) });
  const items = useMemo(
    () => [...(invoices.data?.items ?? [])].sort((a, b) => b.invoiceDate.localeCompare(a.invoiceDate) || a.accountName.localeCompare(b.accountName)),
    [invoices.data],
  );
  const chosen = items.find((i) => `${i.accountId}:${i.id}` === selected);

  return (
    <>
      <header className="page-header">
        <h1>Invoices</h1>
        <p className="subtitle">Per account, in its billing currency; payment status from the amount paid and the due date.</p>
      </header>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>Payment status</legend>
          <label>
            Status
            <select value={status ?? ''} onChange={(e) => set({ status: e.target.value })}>
              <option value="">Any</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        {accounts.data && (
          <AccountFields accounts={accounts.data.items} accountIds={accountIds} includeSandbox={includeSandbox} onChange={(v) => set({ accounts: v.accountIds, sandbox: v.includeSandbox })} />
        )}
      </form>
      {chosen && <ReconciliationView invoice={chosen} />}
      <section aria-labelledby="invoices-heading">
        <h2 id="invoices-heading">Invoices</h2>
        {invoices.isPending && <Loading what="invoices" />}
        {invoices.isError && (isNotFound(invoices.error) ? <NotAvailable what="The invoice listing" /> : <ErrorState error={invoices.error} />)}
        {invoices.data && items.length === 0 && <Empty>No invoice yet: Partner Center issues one when a billing period closes.</Empty>}
        {items.length > 0 && (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Invoices, table">
            <table data-testid="invoices-table" className="stack">
              <caption>Choose an invoice to reconcile it against its billed usage</caption>
              <thead>
                <tr>
                  <th scope="col">Invoice</th>
                  <th scope="col">Account</th>
                  <th scope="col">Date</th>
                  <th scope="col">Period</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col" className="num">
                    Paid
                  </th>
                  <th scope="col" className="num">
                    Balance
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Due</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => {
                  const key = `${i.accountId}:${i.id}`;
                  return (
                    <tr key={key} data-invoice={i.id} className={key === selected ? 'selected' : undefined}>
                      <th scope="row">
                        <button type="button" className="cell-button" aria-pressed={key === selected} onClick={() => set({ invoice: key === selected ? null : key })}>
                          {i.id}
                        </button>
                        {i.documentType.toLowerCase() !== 'invoice' && <span className="kpi-note"> {i.documentType}</span>}
                        {i.sandbox && <span className="badge badge-sandbox">Sandbox</span>}
                      </th>
                      <td data-label="Account">{i.accountName}</td>
                      <td data-label="Date">{i.invoiceDate.slice(0, 10)}</td>
                      <td data-label="Period">
                        {i.periodStart.slice(0, 10)} – {i.periodEnd.slice(0, 10)}
                      </td>
                      <td className="num" data-label="Total">{formatMoney(i.total, i.currency)}</td>
                      <td className="num" data-label="Paid">{formatMoney(i.paid, i.currency)}</td>
                      <td className={compareDecimals(i.balance, '0') > 0 ? 'num total' : 'num'} data-label="Balance">{formatMoney(i.balance, i.currency)}</td>
                      <td data-label="Status">
                        <span className={`badge badge-${i.status}`}>{STATUS_LABEL[i.status] ?? i.status}</span>
                      </td>
                      <td data-label="Due">{i.dueDate?.slice(0, 10) ?? '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
