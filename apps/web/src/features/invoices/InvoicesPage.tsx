import type { Invoice, InvoiceList, Reconciliation } from '@meridian/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { api, isNotFound } from '../../api/client';
import { useAccounts } from '../../api/hooks';
import { DataTable } from '../../ui/DataTable';
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
          <DataTable
            testId="reconciliation-table"
            label="Reconciliation per customer, table"
            rows={[...rec.data.rows].sort((a, b) => (a.status === b.status ? a.customerName.localeCompare(b.customerName) : a.status === 'mismatch' ? -1 : 1))}
            rowKey={(r) => r.customerId}
            rowProps={(r) => ({ 'data-customer': r.customerId, 'data-status': r.status })}
            columns={[
              { id: 'customer', header: 'Customer', rowHeader: true, value: (r) => r.customerName, cell: (r) => r.customerName },
              { id: 'invoiced', header: 'Invoiced (line items)', numeric: true, money: (r) => ({ amount: r.invoiced, currency: c }), cell: (r) => formatMoney(r.invoiced, c) },
              { id: 'usage', header: 'Billed usage', numeric: true, money: (r) => ({ amount: r.usage, currency: c }), cell: (r) => formatMoney(r.usage, c) },
              {
                id: 'difference',
                header: 'Difference',
                numeric: true,
                money: (r) => ({ amount: r.difference, currency: c }),
                cellProps: (r) => (r.status === 'mismatch' ? { className: 'diff-bad' } : {}),
                cell: (r) => formatMoney(r.difference, c),
              },
              { id: 'status', header: 'Status', value: (r) => r.status, cell: (r) => <span className={`badge badge-${r.status}`}>{r.status === 'ok' ? 'Matches' : 'Difference'}</span> },
            ]}
            footer={[
              {
                key: 'total',
                label: 'Total',
                cells: { invoiced: formatMoney(rec.data.totals.invoiced, c), usage: formatMoney(rec.data.totals.usage, c), difference: formatMoney(rec.data.totals.difference, c), status: '' },
                cellProps: { status: { className: '' } },
              },
            ]}
          />
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
          <DataTable
            testId="invoices-table"
            className="stack"
            label="Invoices, table"
            caption="Choose an invoice to reconcile it against its billed usage"
            rows={items}
            rowKey={(i) => `${i.accountId}:${i.id}`}
            rowProps={(i) => ({ 'data-invoice': i.id, className: `${i.accountId}:${i.id}` === selected ? 'selected' : undefined })}
            columns={[
              {
                id: 'invoice',
                header: 'Invoice',
                rowHeader: true,
                value: (i) => i.id,
                cell: (i) => {
                  const key = `${i.accountId}:${i.id}`;
                  return (
                    <>
                      <button type="button" className="cell-button" aria-pressed={key === selected} onClick={() => set({ invoice: key === selected ? null : key })}>
                        {i.id}
                      </button>
                      {i.documentType.toLowerCase() !== 'invoice' && <span className="kpi-note"> {i.documentType}</span>}
                      {i.sandbox && <span className="badge badge-sandbox">Sandbox</span>}
                    </>
                  );
                },
              },
              { id: 'account', header: 'Account', value: (i) => i.accountName, cell: (i) => i.accountName },
              { id: 'date', header: 'Date', value: (i) => i.invoiceDate, cell: (i) => i.invoiceDate.slice(0, 10) },
              { id: 'period', header: 'Period', value: (i) => i.periodStart, cell: (i) => `${i.periodStart.slice(0, 10)} – ${i.periodEnd.slice(0, 10)}` },
              { id: 'total', header: 'Total', numeric: true, total: true, money: (i) => ({ amount: i.total, currency: i.currency }), cell: (i) => formatMoney(i.total, i.currency) },
              { id: 'paid', header: 'Paid', numeric: true, total: true, money: (i) => ({ amount: i.paid, currency: i.currency }), cell: (i) => formatMoney(i.paid, i.currency) },
              {
                id: 'balance',
                header: 'Balance',
                numeric: true,
                total: true,
                money: (i) => ({ amount: i.balance, currency: i.currency }),
                cellProps: (i) => (compareDecimals(i.balance, '0') > 0 ? { className: 'total' } : {}),
                cell: (i) => formatMoney(i.balance, i.currency),
              },
              { id: 'status', header: 'Status', value: (i) => STATUS_LABEL[i.status] ?? i.status, cell: (i) => <span className={`badge badge-${i.status}`}>{STATUS_LABEL[i.status] ?? i.status}</span> },
              { id: 'due', header: 'Due', value: (i) => i.dueDate, cell: (i) => i.dueDate?.slice(0, 10) ?? '—' },
            ]}
            totalTestId={(currency, column) => `invoices-${column}-total-${currency}`}
            virtualize
          />
        )}
      </section>
    </>
  );
}
