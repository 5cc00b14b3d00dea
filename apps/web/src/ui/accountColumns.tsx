import type { Account } from '@meridian/contracts';
import type { DataColumn } from './DataTable';
import { cloudLabel } from './labels';

/**
 * The columns every table of Partner Center accounts starts with: the account's name as the row
 * header (with the sandbox badge) and its cloud. Both sort by their text.
 */
export function accountColumns(): DataColumn<Account>[] {
  return [
    {
      id: 'account',
      header: 'Account',
      rowHeader: true,
      value: (a) => a.name,
      cell: (a) => (
        <>
          {a.name} {a.sandbox && <span className="badge badge-sandbox">Sandbox</span>}
        </>
      ),
    },
    { id: 'cloud', header: 'Cloud', value: (a) => cloudLabel(a.cloud), cell: (a) => cloudLabel(a.cloud) },
  ];
}
