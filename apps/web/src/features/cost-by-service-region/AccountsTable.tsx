import type { Account, CostSummaryResponse } from '@meridian/contracts';
import { formatMoney } from '../../ui/decimal';
import { FreshnessBadge } from '../../ui/Freshness';
import { cloudLabel } from '../../ui/labels';

/** Every selected account: where it lives, what it bills in, how fresh its data is, what it cost. */
export function AccountsTable({ accounts, summary }: { accounts: Account[]; summary?: CostSummaryResponse }) {
  const costOf = (id: string) => summary?.byAccount.find((a) => a.accountId === id);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Accounts">
      <table className="accounts" data-testid="accounts-table">
        <caption>Partner Center accounts in this view</caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Cloud</th>
            <th scope="col">Currency</th>
            <th scope="col">Data</th>
            <th scope="col">Last good sync</th>
            <th scope="col" className="num">
              Cost in period
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => {
            const cost = costOf(a.id);
            const running = a.lastSync?.status === 'running' ? a.lastSync : null;
            return (
              <tr key={a.id} data-account={a.id}>
                <th scope="row">
                  {a.name} {a.sandbox && <span className="badge badge-sandbox">Sandbox</span>}
                </th>
                <td>{cloudLabel(a.cloud)}</td>
                <td>{a.currency}</td>
                <td>
                  <FreshnessBadge account={a} />
                  {running && (
                    <span className="running">
                      {' '}
                      syncing {running.stream}: {running.rows.toLocaleString()} rows
                    </span>
                  )}
                </td>
                <td>{a.lastSuccessAt ? new Date(a.lastSuccessAt).toLocaleString() : 'never'}</td>
                <td className="num">{cost ? formatMoney(cost.amount, cost.currency) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
