import { CLOUDS, USAGE_APIS, type Account, type AccountConnection, type Cloud, type ConnectionTestResult } from '@meridian/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiRequestError } from '../../api/client';
import { useAccounts, useMe, useSyncRuns } from '../../api/hooks';
import { dateTime, shiftMonth, thisMonth } from '../../ui/dates';
import { FreshnessBadge } from '../../ui/Freshness';
import { cloudLabel } from '../../ui/labels';
import { can } from '../../ui/permissions';
import { Empty, ErrorState, Loading } from '../../ui/States';
import { useUrlParams } from '../../ui/url-state';
import { ConnectionTestReport } from './ConnectionTestReport';
import { ReadPathBadge, readPathLabel, SyncProgress } from './SyncProgress';
import { DataTable } from '../../ui/DataTable';

function StatusCell({ a }: { a: Account }) {
  const run = a.lastSync;
  if (run && (run.status === 'running' || run.status === 'queued')) return <SyncProgress run={run} />;
  if (!run) return <span>never synced</span>;
  return (
    <span className={run.status === 'failed' ? 'result-bad' : undefined}>
      {run.stream} {run.status} {dateTime(run.finishedAt ?? run.startedAt)}
      {run.error && ` — ${run.error}`}
    </span>
  );
}

function AccountDetails({ account }: { account: Account }) {
  const runs = useSyncRuns(account.id);
  return (
    <section aria-labelledby="details-heading" data-testid="account-details">
      <h2 id="details-heading">{account.name}: streams and recent runs</h2>
      <DataTable
        label="Streams"
        caption="Each stream has its own schedule and checkpoint"
        rows={account.streams}
        rowKey={(s) => s.stream}
        columns={[
          { id: 'stream', header: 'Stream', rowHeader: true, value: (s) => s.stream, cell: (s) => s.stream },
          {
            id: 'status',
            header: 'Last status',
            value: (s) => s.lastStatus,
            cellProps: (s) => (s.lastStatus === 'failed' ? { className: 'result-bad' } : {}),
            cell: (s) => (
              <>
                {s.lastStatus ?? 'never'}
                {s.lastError && ` — ${s.lastError}`}
              </>
            ),
          },
          { id: 'lastRun', header: 'Last run', value: (s) => s.lastRunAt, cell: (s) => dateTime(s.lastRunAt) },
          { id: 'lastSuccess', header: 'Last success', value: (s) => s.lastSuccessAt, cell: (s) => dateTime(s.lastSuccessAt) },
          { id: 'nextRun', header: 'Next run', value: (s) => s.nextRunAt, cell: (s) => (s.nextRunAt ? dateTime(s.nextRunAt) : '—') },
        ]}
      />
      {runs.isPending && <Loading what="sync runs" />}
      {runs.isError && <ErrorState error={runs.error} />}
      {runs.data && (
        <DataTable
          testId="sync-runs"
          label="Recent sync runs"
          caption="Recent sync runs"
          rows={runs.data.items.slice(0, 20)}
          rowKey={(r) => r.id}
          columns={[
            { id: 'stream', header: 'Stream', rowHeader: true, value: (r) => r.stream, cell: (r) => r.stream },
            { id: 'status', header: 'Status', value: (r) => r.status, cell: (r) => (r.status === 'running' ? <SyncProgress run={r} /> : r.status) },
            { id: 'started', header: 'Started', value: (r) => r.startedAt, cell: (r) => dateTime(r.startedAt) },
            { id: 'finished', header: 'Finished', value: (r) => r.finishedAt, cell: (r) => dateTime(r.finishedAt) },
            { id: 'pages', header: 'Pages', numeric: true, value: (r) => r.pages, cell: (r) => r.pages },
            { id: 'rows', header: 'Rows', numeric: true, value: (r) => r.rows, cell: (r) => r.rows.toLocaleString() },
            { id: 'quarantined', header: 'Quarantined', numeric: true, value: (r) => r.quarantined, cell: (r) => r.quarantined },
            { id: 'window', header: 'Window', value: (r) => r.windowFrom, cell: (r) => (r.windowFrom ? `${r.windowFrom} – ${r.windowTo}` : '') },
            { id: 'read', header: 'Read', value: (r) => r.readPath, cell: (r) => (r.readPath ? readPathLabel(r.readPath) : '') },
          ]}
        />
      )}
    </section>
  );
}

const EMPTY_FORM = {
  id: '',
  name: '',
  cloud: 'global' as Cloud,
  tenantId: '',
  appId: '',
  secret: '',
  currency: 'USD',
  sandbox: false,
  apiBaseUrl: '',
  tokenUrl: '',
  graphBaseUrl: '',
  graphTokenUrl: '',
  usageApi: 'auto' as AccountConnection['usageApi'],
  syncIntervalMinutes: '60',
};

const USAGE_API_LABEL: Record<AccountConnection['usageApi'], string> = {
  auto: 'Automatic (by cloud)',
  graph: 'Graph export',
  v1: 'v1 API',
};

/** Connect a Partner Center account: test the credentials first, then save (the secret never comes back). */
function AddAccountForm() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY_FORM);
  const [test, setTest] = useState<ConnectionTestResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A 400 names the fields it refuses: those are marked (the messages are listed under the form).
  const issues = error instanceof ApiRequestError ? (error.body.issues ?? []) : [];
  const field = (k: keyof typeof EMPTY_FORM) => ({
    value: String(form[k]),
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [k]: e.target.value }),
    'aria-invalid': issues.some((i) => i.field === k) || undefined,
  });
  const connection = (): Partial<AccountConnection> => ({
    name: form.name,
    cloud: form.cloud,
    tenantId: form.tenantId,
    appId: form.appId,
    secret: form.secret,
    currency: form.currency.toUpperCase(),
    ...(form.apiBaseUrl ? { apiBaseUrl: form.apiBaseUrl } : {}),
    ...(form.tokenUrl ? { tokenUrl: form.tokenUrl } : {}),
    ...(form.graphBaseUrl ? { graphBaseUrl: form.graphBaseUrl } : {}),
    ...(form.graphTokenUrl ? { graphTokenUrl: form.graphTokenUrl } : {}),
    usageApi: form.usageApi,
  });
  const run = async (what: 'test' | 'save') => {
    setBusy(true);
    setError(null);
    setSaved(null);
    if (what === 'test') setTest(null);
    try {
      if (what === 'test') setTest(await api.testConnection(connection()));
      else {
        const created = await api.createAccount({ ...connection(), id: form.id, sandbox: form.sandbox, syncIntervalMinutes: Number(form.syncIntervalMinutes) });
        setSaved(`Connected ${created.name}; its first sync starts now.`);
        setForm(EMPTY_FORM);
        setTest(null);
        await queryClient.invalidateQueries({ queryKey: ['accounts'] });
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="add-heading">
      <h2 id="add-heading">Connect a Partner Center account</h2>
      <form
        aria-labelledby="add-heading"
        onSubmit={(e) => {
          e.preventDefault();
          void run('save');
        }}
      >
        <div className="form-grid">
          <label>
            Id (2–40 lowercase letters, digits, dashes)
            <input required pattern="[a-z0-9][a-z0-9\-]{1,39}" {...field('id')} />
          </label>
          <label>
            Name
            <input required {...field('name')} />
          </label>
          <label>
            Cloud
            <select {...field('cloud')}>
              {CLOUDS.map((c) => (
                <option key={c} value={c}>
                  {cloudLabel(c)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Tenant id
            <input required autoComplete="off" {...field('tenantId')} />
          </label>
          <label>
            Application id
            <input required autoComplete="off" {...field('appId')} />
          </label>
          <label>
            Application secret
            <input required type="password" autoComplete="new-password" {...field('secret')} />
          </label>
          <label>
            Billing currency
            <input required pattern="[A-Za-z]{3}" maxLength={3} {...field('currency')} />
          </label>
          <label>
            Sync every (minutes)
            <input type="number" min={5} max={1440} {...field('syncIntervalMinutes')} />
          </label>
          <label>
            API base URL (optional override)
            <input type="url" {...field('apiBaseUrl')} />
          </label>
          <label>
            Token URL (optional override)
            <input type="url" {...field('tokenUrl')} />
          </label>
          <label>
            Usage read
            <select {...field('usageApi')} aria-describedby="usage-api-hint">
              {USAGE_APIS.map((u) => (
                <option key={u} value={u}>
                  {USAGE_API_LABEL[u]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Graph base URL (optional, global cloud)
            <input type="url" placeholder="https://graph.microsoft.com/v1.0" aria-describedby="graph-hint" {...field('graphBaseUrl')} />
          </label>
          <label>
            Graph token URL (optional, global cloud)
            <input type="url" aria-describedby="graph-hint" {...field('graphTokenUrl')} />
          </label>
          <label className="check">
            <input type="checkbox" checked={form.sandbox} onChange={(e) => setForm({ ...form, sandbox: e.target.checked })} /> Integration Sandbox
          </label>
        </div>
        <p className="kpi-note" id="usage-api-hint">
          Usage read: automatic reads global and EU accounts through the Microsoft Graph billing export and US Government, 21Vianet and Germany through the v1 API.
        </p>
        <p className="kpi-note" id="graph-hint">
          {form.cloud === 'global'
            ? 'Graph URLs: leave empty for Microsoft Graph; set them only for a private link or the simulator.'
            : 'Graph URLs: not used in this cloud (it has no Graph billing export).'}
        </p>
        {error !== null && <ErrorState error={error} />}
        {test && <ConnectionTestReport test={test} />}
        {saved && (
          <p role="status" className="result-ok">
            {saved}
          </p>
        )}
        <div className="form-actions">
          <button type="button" disabled={busy} onClick={() => void run('test')}>
            Test connection
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Add account
          </button>
        </div>
      </form>
    </section>
  );
}

/** Re-read older months from their invoices' billed usage (progress shows in the table above). */
function BackfillForm({ accounts }: { accounts: Account[] }) {
  const queryClient = useQueryClient();
  const month = thisMonth();
  const [form, setForm] = useState({ accountId: accounts[0]?.id ?? '', from: shiftMonth(month, -3), to: shiftMonth(month, -1) });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      const res = await api.backfill(form.accountId, { from: form.from, to: form.to });
      setDone(`Backfill ${form.from} to ${form.to} queued (${res.jobs.length} job${res.jobs.length === 1 ? '' : 's'}).`);
      await queryClient.invalidateQueries({ queryKey: ['accounts'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="backfill-heading">
      <h2 id="backfill-heading">Backfill</h2>
      <p className="subtitle">Partner Center keeps unbilled usage for two periods only; older months are read from each invoice&apos;s billed usage.</p>
      <form aria-labelledby="backfill-heading" onSubmit={submit}>
        <div className="form-grid">
          <label>
            Account
            <select value={form.accountId} onChange={(e) => setForm({ ...form, accountId: e.target.value })}>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            From month
            <input type="month" required value={form.from} max={form.to} onChange={(e) => setForm({ ...form, from: e.target.value })} />
          </label>
          <label>
            To month
            <input type="month" required value={form.to} min={form.from} onChange={(e) => setForm({ ...form, to: e.target.value })} />
          </label>
        </div>
        {error !== null && <ErrorState error={error} />}
        {done && (
          <p role="status" className="result-ok">
            {done}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="primary">
            Start backfill
          </button>
        </div>
      </form>
    </section>
  );
}

/** Connected accounts: where they live, what they bill in, how fresh they are, what is running now. */
export function AccountsPage() {
  const me = useMe();
  const accounts = useAccounts();
  const queryClient = useQueryClient();
  const [params, setParams] = useUrlParams();
  const selected = params.get('account');
  const [syncError, setSyncError] = useState<unknown>(null);
  const [queued, setQueued] = useState<Record<string, string>>({});
  const mayManage = can(me.data, 'manage');
  const maySync = can(me.data, 'sync');

  const syncNow = async (a: Account) => {
    setSyncError(null);
    try {
      const res = await api.syncNow(a.id);
      setQueued({ ...queued, [a.id]: `${res.jobs.filter((j) => j.queued).length} streams queued` });
      await queryClient.invalidateQueries({ queryKey: ['accounts'] });
    } catch (err) {
      setSyncError(err);
    }
  };

  const list = accounts.data?.items ?? [];
  const detail = list.find((a) => a.id === selected);
  return (
    <>
      <header className="page-header">
        <h1>Accounts</h1>
        <p className="subtitle">One isolated Partner Center connection per region or national cloud; each syncs on its own schedule.</p>
      </header>
      {accounts.isPending && <Loading what="accounts" />}
      {accounts.isError && <ErrorState error={accounts.error} />}
      {accounts.data && list.length === 0 && (
        <Empty>
          <h2>No account connected yet</h2>
          <p>Connect the first Partner Center account below.</p>
        </Empty>
      )}
      {syncError !== null && <ErrorState error={syncError} />}
      {list.length > 0 && (
        <section aria-labelledby="list-heading">
          <h2 id="list-heading">Connected accounts</h2>
          <DataTable
            testId="accounts-list"
            className="stack"
            label="Connected accounts, table"
            rows={list}
            rowKey={(a) => a.id}
            rowProps={(a) => ({ 'data-account': a.id, className: a.id === selected ? 'selected' : undefined })}
            columns={[
              {
                id: 'account',
                header: 'Account',
                rowHeader: true,
                value: (a) => a.name,
                cell: (a) => (
                  <>
                    {a.name}
                    {!a.enabled && ' (disabled)'}
                  </>
                ),
              },
              { id: 'cloud', header: 'Cloud', value: (a) => cloudLabel(a.cloud), cell: (a) => cloudLabel(a.cloud) },
              { id: 'currency', header: 'Currency', value: (a) => a.currency, cell: (a) => a.currency },
              { id: 'usageRead', header: 'Usage read', sortable: false, cell: (a) => <ReadPathBadge account={a} /> },
              { id: 'sandbox', header: 'Sandbox', value: (a) => (a.sandbox ? 'Sandbox' : 'No'), cell: (a) => (a.sandbox ? <span className="badge badge-sandbox">Sandbox</span> : 'No') },
              { id: 'freshness', header: 'Freshness', sortable: false, cell: (a) => <FreshnessBadge account={a} /> },
              { id: 'lastSync', header: 'Last good sync', value: (a) => a.lastSuccessAt, cell: (a) => dateTime(a.lastSuccessAt) },
              {
                id: 'latestRun',
                header: 'Latest run',
                sortable: false,
                className: 'wrap',
                cell: (a) => (
                  <>
                    <StatusCell a={a} />
                    {queued[a.id] && <span className="kpi-note"> {queued[a.id]}</span>}
                  </>
                ),
              },
              {
                id: 'actions',
                header: 'Actions',
                sortable: false,
                hideable: false,
                cellProps: () => ({ 'data-label': undefined }),
                cell: (a) => (
                  <div className="actions">
                    {maySync && (
                      <button type="button" onClick={() => void syncNow(a)} aria-label={`Sync now: ${a.name}`}>
                        Sync now
                      </button>
                    )}
                    <button type="button" aria-pressed={a.id === selected} aria-label={`Details: ${a.name}`} onClick={() => setParams({ account: a.id === selected ? null : a.id })}>
                      Details
                    </button>
                  </div>
                ),
              },
            ]}
          />
        </section>
      )}
      {detail && <AccountDetails account={detail} />}
      {mayManage && list.length > 0 && <BackfillForm accounts={list} />}
      {mayManage && <AddAccountForm />}
    </>
  );
}
