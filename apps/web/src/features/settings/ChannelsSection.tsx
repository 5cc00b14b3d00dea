import { WEBHOOK_FORMATS, type DigestResult, type NotificationChannelDto } from '@meridian/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { alertsApi, useChannels, type ChannelTestResult } from '../../api/alerts';
import { ApiRequestError, isNotFound } from '../../api/client';
import { useMe } from '../../api/hooks';
import { DataTable } from '../../ui/DataTable';
import { dateTime } from '../../ui/dates';
import { canEverywhere } from '../../ui/permissions';
import { ErrorState, Loading, NotAvailable } from '../../ui/States';

type Form = { kind: 'email' | 'webhook'; name: string; to: string; url: string; format: (typeof WEBHOOK_FORMATS)[number]; secret: string; weeklyDigest: boolean };
const EMPTY: Form = { kind: 'webhook', name: '', to: '', url: '', format: 'meridian', secret: '', weeklyDigest: false };

function TestResult({ result }: { result: ChannelTestResult }) {
  const last = result.attempts[result.attempts.length - 1];
  return (
    <p role="status" className={result.delivered ? 'result-ok' : 'result-bad'} data-testid="channel-test-result">
      {result.delivered ? 'Test delivered' : 'Test not delivered'}
      {last?.status !== null && last?.status !== undefined && ` (status ${last.status})`} after {result.attempts.length} attempt{result.attempts.length === 1 ? '' : 's'}
      {last?.error ? `: ${last.error}` : ''}
      {last && <span className="kpi-note"> · {dateTime(last.at)}</span>}
    </p>
  );
}

const kindLabel = (c: NotificationChannelDto) => (c.kind === 'email' ? 'Email' : `Webhook (${c.format ?? 'meridian'})`);
const destination = (c: NotificationChannelDto) => (c.kind === 'email' ? (c.to ?? []).join(', ') || '—' : (c.url ?? '—'));
const signed = (c: NotificationChannelDto) => (c.kind === 'webhook' ? (c.hasSecret ? 'yes (secret set)' : 'no') : '—');

/** Settings → Notification channels: where alerts go (email over SMTP, signed webhooks). */
export function ChannelsSection() {
  const me = useMe();
  const queryClient = useQueryClient();
  const channels = useChannels();
  const mayManage = canEverywhere(me.data, 'alerts');
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, ChannelTestResult | 'sending' | Error>>({});
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  /** The channel being edited in the form (null: the form adds a new one). */
  const [editing, setEditing] = useState<NotificationChannelDto | null>(null);
  const issues = error instanceof ApiRequestError ? (error.body.issues ?? []) : [];
  const issue = (field: string) => issues.filter((i) => i.field === field || i.field.startsWith(`${field}.`)).map((i) => i.message).join('; ') || undefined;
  const invalid = (field: string) => (issue(field) ? { 'aria-invalid': true as const, 'aria-describedby': `channel-err-${field}` } : {});
  const err = (field: string) =>
    issue(field) ? (
      <span id={`channel-err-${field}`} className="field-error">
        {issue(field)}
      </span>
    ) : null;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['notification-channels'] });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(null);
    const to = form.to.split(/[,;\s]+/).filter(Boolean);
    try {
      if (editing) {
        // A secret left empty keeps the stored one (it is never sent back to be shown).
        const changed =
          form.kind === 'email'
            ? await alertsApi.updateChannel(editing.id, { name: form.name, to, weeklyDigest: form.weeklyDigest })
            : await alertsApi.updateChannel(editing.id, { name: form.name, url: form.url.trim(), format: form.format, weeklyDigest: form.weeklyDigest, ...(form.secret ? { secret: form.secret } : {}) });
        setEditing(null);
        setForm(EMPTY);
        setSaved(`Channel ${changed.name} saved.`);
      } else {
        const created =
          form.kind === 'email'
            ? await alertsApi.createChannel({ kind: 'email', name: form.name, to, weeklyDigest: form.weeklyDigest })
            : await alertsApi.createChannel({ kind: 'webhook', name: form.name, url: form.url.trim(), format: form.format, weeklyDigest: form.weeklyDigest, ...(form.secret ? { secret: form.secret } : {}) });
        setForm({ ...EMPTY, kind: form.kind });
        setSaved(`Channel ${created.name} added.`);
      }
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const edit = (c: NotificationChannelDto) => {
    setError(null);
    setSaved(null);
    setEditing(c);
    setForm({ kind: c.kind, name: c.name, to: (c.to ?? []).join(', '), url: c.url ?? '', format: c.format ?? 'meridian', secret: '', weeklyDigest: c.weeklyDigest });
    document.getElementById('channel-form-heading')?.scrollIntoView({ block: 'nearest' });
  };
  const cancelEdit = () => {
    setEditing(null);
    setForm(EMPTY);
    setError(null);
  };
  const [digest, setDigest] = useState<DigestResult | 'sending' | Error | null>(null);
  const sendDigest = async () => {
    setDigest('sending');
    try {
      setDigest(await alertsApi.sendDigest());
    } catch (err) {
      setDigest(err as Error);
    }
  };
  const test = async (c: NotificationChannelDto) => {
    setTests((t) => ({ ...t, [c.id]: 'sending' }));
    try {
      const result = await alertsApi.testChannel(c.id);
      setTests((t) => ({ ...t, [c.id]: result }));
    } catch (err) {
      setTests((t) => ({ ...t, [c.id]: err as Error }));
    }
  };
  const remove = async (c: NotificationChannelDto) => {
    setError(null);
    try {
      await alertsApi.deleteChannel(c.id);
      setConfirmDelete(null);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };

  if (channels.isPending) return <Loading what="notification channels" />;
  if (channels.isError) return isNotFound(channels.error) ? <NotAvailable what="Notification channels (alerts API)" /> : <ErrorState error={channels.error} />;
  return (
    <>
      <p className="subtitle">
        Alert rules notify these channels: email over SMTP, or a webhook signed with HMAC-SHA256 (Meridian JSON, Slack or Teams payloads). A signing secret is write-only: it is never shown again.
      </p>
      {channels.data.items.length === 0 ? (
        <p className="state state-empty">No notification channel yet{mayManage ? ': add one below.' : '.'}</p>
      ) : (
        <DataTable
          testId="channels-table"
          className="stack"
          label="Notification channels, table"
          rows={channels.data.items}
          rowKey={(c) => c.id}
          rowProps={(c) => ({ 'data-channel': c.id })}
          columns={[
            { id: 'name', header: 'Name', rowHeader: true, value: (c) => c.name, cell: (c) => c.name },
            { id: 'kind', header: 'Kind', value: (c) => kindLabel(c), cell: (c) => kindLabel(c) },
            { id: 'destination', header: 'Destination', className: 'wrap', value: (c) => destination(c), cell: (c) => destination(c) },
            { id: 'signed', header: 'Signed', value: (c) => signed(c), cell: (c) => signed(c) },
            { id: 'digest', header: 'Weekly digest', value: (c) => (c.weeklyDigest ? 'yes' : 'no'), cell: (c) => (c.weeklyDigest ? 'yes' : 'no') },
            ...(mayManage
              ? [
                  {
                    id: 'actions',
                    header: 'Actions',
                    headerContent: <span className="visually-hidden">Actions</span>,
                    hideable: false,
                    className: 'wrap',
                    cellProps: () => ({ 'data-label': undefined }),
                    cell: (c: NotificationChannelDto) => {
                      const t = tests[c.id];
                      return (
                        <>
                          <div className="actions">
                            <button type="button" aria-label={t === 'sending' ? undefined : `Send test to ${c.name}`} disabled={t === 'sending'} onClick={() => void test(c)}>
                              {t === 'sending' ? 'Sending…' : 'Send test'}
                            </button>
                            <button type="button" aria-label={`Edit ${c.name}`} onClick={() => edit(c)}>
                              Edit
                            </button>
                            {confirmDelete === c.id ? (
                              <>
                                <button type="button" aria-label={`Confirm delete: ${c.name}`} onClick={() => void remove(c)}>
                                  Confirm delete
                                </button>
                                <button type="button" onClick={() => setConfirmDelete(null)}>
                                  Keep
                                </button>
                              </>
                            ) : (
                              <button type="button" aria-label={`Delete ${c.name}`} onClick={() => setConfirmDelete(c.id)}>
                                Delete
                              </button>
                            )}
                          </div>
                          {t && t !== 'sending' && (t instanceof Error ? <ErrorState error={t} /> : <TestResult result={t} />)}
                        </>
                      );
                    },
                  },
                ]
              : []),
          ]}
        />
      )}
      {mayManage && channels.data.items.some((c) => c.weeklyDigest) && (
        <div className="form-actions">
          <button type="button" onClick={() => void sendDigest()} disabled={digest === 'sending'}>
            {digest === 'sending' ? 'Sending digest…' : "Send last week's digest now"}
          </button>
          {digest instanceof Error && <ErrorState error={digest} />}
          {digest && digest !== 'sending' && !(digest instanceof Error) && (
            <span role="status" className="kpi-note" data-testid="digest-result">
              Digest of the week of {digest.week}: sent to {digest.delivered} of {digest.channels} channel{digest.channels === 1 ? '' : 's'}
              {digest.delivered < digest.channels ? ' (the others already had it, or failed: see their delivery log)' : ''}
            </span>
          )}
        </div>
      )}
      {!mayManage && <p className="kpi-note">Channels apply to every account: adding or changing one needs ops or admin on all accounts.</p>}
      {mayManage && (
        <>
          <h3 id="channel-form-heading">{editing ? `Edit channel ${editing.name}` : 'Add a channel'}</h3>
          <form aria-labelledby="channel-form-heading" onSubmit={submit} noValidate>
            <div className="form-grid">
              <label>
                Kind
                <select name="kind" value={form.kind} disabled={editing !== null} onChange={(e) => setForm({ ...form, kind: e.target.value as Form['kind'] })}>
                  <option value="webhook">Webhook</option>
                  <option value="email">Email</option>
                </select>
              </label>
              <label>
                Channel name
                <input name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} {...invalid('name')} />
                {err('name')}
              </label>
              {form.kind === 'email' ? (
                <label>
                  Recipients (comma-separated)
                  <input type="text" inputMode="email" autoComplete="off" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} {...invalid('to')} />
                  {err('to')}
                </label>
              ) : (
                <>
                  <label>
                    Webhook URL
                    <input name="url" type="url" value={form.url} placeholder="https://hooks.example.com/…" onChange={(e) => setForm({ ...form, url: e.target.value })} {...invalid('url')} />
                    {err('url')}
                  </label>
                  <label>
                    Payload
                    <select value={form.format} onChange={(e) => setForm({ ...form, format: e.target.value as Form['format'] })}>
                      <option value="meridian">Meridian JSON</option>
                      <option value="slack">Slack</option>
                      <option value="teams">Microsoft Teams</option>
                    </select>
                  </label>
                  <label>
                    {editing?.hasSecret ? 'New signing secret (empty keeps the current one)' : 'Signing secret (optional, write-only)'}
                    <input name="secret" type="password" autoComplete="new-password" value={form.secret} onChange={(e) => setForm({ ...form, secret: e.target.value })} {...invalid('secret')} />
                    {err('secret')}
                  </label>
                </>
              )}
              <label className="check">
                <input name="weeklyDigest" type="checkbox" checked={form.weeklyDigest} onChange={(e) => setForm({ ...form, weeklyDigest: e.target.checked })} />
                Also send the weekly cost digest (Mondays)
              </label>
            </div>
            {error !== null && <ErrorState error={error} />}
            {saved && (
              <p role="status" className="result-ok">
                {saved}
              </p>
            )}
            <div className="form-actions">
              <button type="submit" className="primary">
                {editing ? 'Save changes' : 'Add channel'}
              </button>
              {editing && (
                <button type="button" onClick={cancelEdit}>
                  Cancel
                </button>
              )}
            </div>
          </form>
        </>
      )}
    </>
  );
}
