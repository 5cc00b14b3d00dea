import type { Account, CostSummaryResponse } from '@meridian/contracts';
import { accountColumns } from '../../ui/accountColumns';
import { DataTable, type DataColumn } from '../../ui/DataTable';
import { formatMoney } from '../../ui/decimal';
import { FreshnessBadge } from '../../ui/Freshness';

/** Every selected account: where it lives, what it bills in, how fresh its data is, what it cost. */
export function AccountsTable({ accounts, summary }: { accounts: Account[]; summary?: CostSummaryResponse }) {
  const costOf = (id: string) => summary?.byAccount.find((a) => a.accountId === id);
  const columns: DataColumn<Account>[] = [
    ...accountColumns(),
    { id: 'currency', header: 'Currency', value: (a) => a.currency, cell: (a) => a.currency },
    {
      id: 'data',
      header: 'Data',
      sortable: false,
      cell: (a) => {
        const running = a.lastSync?.status === 'running' ? a.lastSync : null;
        return (
          <>
            <FreshnessBadge account={a} />
            {running && (
              <span className="running">
                {' '}
                syncing {running.stream}: {running.rows.toLocaleString()} rows
              </span>
            )}
          </>
        );
      },
    },
    { id: 'lastSync', header: 'Last good sync', value: (a) => a.lastSuccessAt, cell: (a) => (a.lastSuccessAt ? new Date(a.lastSuccessAt).toLocaleString() : 'never') },
    {
      id: 'cost',
      header: 'Cost in period',
      numeric: true,
      total: true,
      money: (a) => costOf(a.id),
      cell: (a) => {
        const cost = costOf(a.id);
        return cost ? formatMoney(cost.amount, cost.currency) : '—';
      },
    },
  ];
  return (
    <DataTable
      testId="accounts-table"
      className="accounts"
      label="Accounts"
      caption="Partner Center accounts in this view"
      rows={accounts}
      rowKey={(a) => a.id}
      rowProps={(a) => ({ 'data-account': a.id })}
      columns={columns}
      totalTestId={(currency) => `accounts-total-${currency}`}
    />
  );
}
