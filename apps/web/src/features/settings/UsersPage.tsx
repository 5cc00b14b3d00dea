import { ROLES, type Account, type GrantInput, type Role, type User } from '@meridian/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { useAccounts, useUsers } from '../../api/hooks';
import { ErrorState, Loading } from '../../ui/States';
import { DataTable } from '../../ui/DataTable';

function grantLabel(g: User['grants'][number], accounts: Account[]): string {
  const account = g.accountId === null ? 'all accounts' : (accounts.find((a) => a.id === g.accountId)?.name ?? g.accountId);
  return `${g.role} · ${account}${g.customerId ? ` · customer ${g.customerId}` : ''}`;
}

/** Users and their grants (owner only): who may see which Partner Center account, in which role. */
export function UsersPage() {
  const users = useUsers();
  const accounts = useAccounts();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ email: '', displayName: '', password: '', accountId: '', role: 'viewer' as Role });
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(null);
    const grants: GrantInput[] = [{ accountId: form.accountId || null, role: form.role }];
    try {
      const user = await api.createUser({ email: form.email, displayName: form.displayName, password: form.password || undefined, grants });
      setSaved(`Created ${user.email}`);
      setForm({ email: '', displayName: '', password: '', accountId: '', role: 'viewer' });
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      setError(err);
    }
  };

  if (users.isPending || accounts.isPending) return <Loading what="users" />;
  if (users.isError) return <ErrorState error={users.error} />;
  const accountList = accounts.data?.items ?? [];

  return (
    <>
      <p className="subtitle">Roles mirror Partner Center: admin manages a connection; finance, ops and viewer read its data.</p>
      <div className="subsection" role="group" aria-labelledby="users-heading">
        <h3 id="users-heading">Users</h3>
        <DataTable
          testId="users-table"
          label="Users"
          rows={users.data.items}
          rowKey={(u) => u.id}
          rowProps={(u) => ({ 'data-user': u.email })}
          columns={[
            { id: 'email', header: 'Email', rowHeader: true, value: (u) => u.email, cell: (u) => u.email },
            { id: 'name', header: 'Name', value: (u) => u.displayName, cell: (u) => u.displayName },
            { id: 'signIn', header: 'Sign-in', value: (u) => u.signIn, cell: (u) => u.signIn },
            {
              id: 'grants',
              header: 'Grants',
              sortable: false,
              cell: (u) => (u.isOwner ? 'owner (everything)' : u.grants.length ? u.grants.map((g) => grantLabel(g, accountList)).join('; ') : 'none'),
            },
          ]}
        />
      </div>
      <div className="subsection" role="group" aria-labelledby="add-user-heading">
        <h3 id="add-user-heading">Add a user</h3>
        <form className="stacked-form" onSubmit={create}>
          <label>
            Email <input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
          </label>
          <label>
            Name <input required value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
          </label>
          <label>
            Password (optional for single sign-on users)
            <input type="password" autoComplete="new-password" minLength={12} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
          </label>
          <label>
            Account
            <select value={form.accountId} onChange={(e) => setForm({ ...form, accountId: e.target.value })}>
              <option value="">All accounts</option>
              {accountList.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Role
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          {error !== null && <ErrorState error={error} />}
          {saved && (
            <p role="status" className="saved">
              {saved}
            </p>
          )}
          <button type="submit" className="primary">
            Add user
          </button>
        </form>
      </div>
    </>
  );
}
