import { ALERT_CATEGORIES, type AlertCategory, type AlertEvent, type AlertStatusName } from '@meridian/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { alertsApi, useAlertEvent, useAlertEvents } from '../../api/alerts';
import { DataTable } from '../../ui/DataTable';
import { dateTime } from '../../ui/dates';
import { Empty, ErrorState, Loading } from '../../ui/States';
import { useUrlParams } from '../../ui/url-state';
import { AlertStatusBadge, ValueAgainstLimit } from './AlertStatus';
import { CATEGORY_LABEL } from './rule-form';

const TABS: { id: AlertStatusName | 'all'; label: string }[] = [
  { id: 'open', label: 'Open' },
  { id: 'acknowledged', label: 'Acknowledged' },
  { id: 'resolved', label: 'Resolved' },
  { id: 'all', label: 'All' },
];

function AlertDetail({ id, accountName, channelName, onClose }: { id: string; accountName: (id: string) => string; channelName: (id: string) => string; onClose: () => void }) {
  const detail = useAlertEvent(id);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [id]);
  return (
    <section aria-labelledby="alert-detail-heading" data-testid="alert-detail">
      <div className="section-head">
        <h2 id="alert-detail-heading" tabIndex={-1} ref={heading}>
          Alert {detail.data ? `· ${detail.data.ruleName}` : ''}
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {detail.isPending && <Loading what="the alert" />}
      {detail.isError && <ErrorState error={detail.error} />}
      {detail.data && (
        <>
          <dl className="facts">
            <div>
              <dt>What</dt>
              <dd>{detail.data.condition}</dd>
            </div>
            <div>
              <dt>Value</dt>
              <dd>
                <ValueAgainstLimit event={detail.data} />
              </dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <AlertStatusBadge status={detail.data.status} />
                {detail.data.acknowledgedAt && <span className="kpi-note"> acknowledged {dateTime(detail.data.acknowledgedAt)}</span>}
                {detail.data.resolvedAt && (
                  <span className="kpi-note">
                    {' '}
                    resolved {dateTime(detail.data.resolvedAt)}
                    {detail.data.resolveReason ? ` (${detail.data.resolveReason})` : ''}
                  </span>
                )}
              </dd>
            </div>
            <div>
              <dt>Period</dt>
              <dd>{detail.data.periodKey}</dd>
            </div>
            <div>
              <dt>Accounts</dt>
              <dd>{detail.data.accountIds.length ? detail.data.accountIds.map(accountName).join(', ') : 'All accounts'}</dd>
            </div>
            <div>
              <dt>Fired</dt>
              <dd>{dateTime(detail.data.firedAt)}</dd>
            </div>
          </dl>
          <h3>Delivery attempts</h3>
          {detail.data.deliveries.length === 0 ? (
            <p className="state state-empty">No notification sent: the rule has no channel, or delivery has not run yet.</p>
          ) : (
            <DataTable
              testId="alert-deliveries"
              className="stack"
              label="Delivery attempts, table"
              rows={detail.data.deliveries}
              rowKey={(d) => `${d.channelId}-${d.dedupKey}-${d.attempt}`}
              columns={[
                { id: 'when', header: 'When', rowHeader: true, value: (d) => d.at, cell: (d) => dateTime(d.at) },
                { id: 'channel', header: 'Channel', value: (d) => channelName(d.channelId), cell: (d) => channelName(d.channelId) },
                { id: 'attempt', header: 'Attempt', numeric: true, value: (d) => d.attempt, cell: (d) => d.attempt },
                {
                  id: 'result',
                  header: 'Result',
                  value: (d) => (d.ok ? 'delivered' : 'failed'),
                  cellProps: (d) => ({ className: d.ok ? 'result-ok' : 'result-bad' }),
                  cell: (d) => (
                    <>
                      {d.ok ? 'delivered' : 'failed'}
                      {d.status !== null && ` (${d.status})`}
                      {d.error && `: ${d.error}`}
                    </>
                  ),
                },
              ]}
            />
          )}
        </>
      )}
    </section>
  );
}

/** Alerts by status (the tab is in the URL), each with acknowledge and its delivery attempts. */
export function AlertEventsSection({ mayManage, accountName, channelName }: { mayManage: boolean; accountName: (id: string) => string; channelName: (id: string) => string }) {
  const [params, setParams] = useUrlParams();
  const tab = (TABS.find((t) => t.id === params.get('status'))?.id ?? 'open') as AlertStatusName | 'all';
  const category = (ALERT_CATEGORIES as readonly string[]).includes(params.get('category') ?? '') ? (params.get('category') as AlertCategory) : undefined;
  const selected = params.get('alert');
  const events = useAlertEvents({ status: tab === 'all' ? undefined : tab, category });
  const queryClient = useQueryClient();
  const [ackError, setAckError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const acknowledge = async (e: AlertEvent) => {
    setAckError(null);
    setBusy(e.id);
    try {
      await alertsApi.acknowledge(e.id);
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['alerts'] }), queryClient.invalidateQueries({ queryKey: ['alert', e.id] })]);
    } catch (err) {
      setAckError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <section aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">
          Alerts
          {events.data && (
            <span className="section-total" data-testid="alerts-total">
              {events.data.total} {tab === 'all' ? 'in all' : tab}
            </span>
          )}
        </h2>
        <div className="toolbar section-head">
          <nav className="tabs" aria-label="Alerts by status">
            {TABS.map((t) => (
              <a
                key={t.id}
                href={`?status=${t.id}`}
                aria-current={t.id === tab ? 'page' : undefined}
                onClick={(ev) => {
                  ev.preventDefault();
                  setParams({ status: t.id === 'open' ? null : t.id, alert: null });
                }}
              >
                {t.label}
              </a>
            ))}
          </nav>
          <label>
            Kind{' '}
            <select value={category ?? ''} onChange={(e) => setParams({ category: e.target.value, alert: null })}>
              <option value="">Every kind</option>
              {ALERT_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABEL[c]}
                </option>
              ))}
            </select>
          </label>
        </div>
        {events.isPending && <Loading what="alerts" />}
        {events.isError && <ErrorState error={events.error} />}
        {ackError !== null && <ErrorState error={ackError} />}
        {events.data && events.data.items.length === 0 && (
          <Empty>
            <p>{tab === 'open' ? 'No open alert: every budget and rule is within its limits.' : `No ${tab === 'all' ? '' : `${tab} `}alert.`}</p>
          </Empty>
        )}
        {events.data && events.data.items.length > 0 && (
          <>
            <DataTable
              testId="alerts-table"
              className="stack"
              label="Alerts, table"
              rows={events.data.items}
              rowKey={(e) => e.id}
              rowProps={(e) => ({ 'data-alert': e.id, 'data-status': e.status, className: e.id === selected ? 'selected' : undefined })}
              columns={[
                {
                  id: 'rule',
                  header: 'Rule',
                  rowHeader: true,
                  value: (e) => e.ruleName,
                  cell: (e) => (
                    <>
                      {e.ruleName}
                      <span className="kpi-note"> · {CATEGORY_LABEL[e.category]}</span>
                    </>
                  ),
                },
                { id: 'what', header: 'What', className: 'wrap', value: (e) => e.condition, cell: (e) => e.condition },
                { id: 'value', header: 'Value', numeric: true, money: (e) => e.value, cellProps: (e) => ({ 'data-testid': `alert-value-${e.id}` }), cell: (e) => <ValueAgainstLimit event={e} /> },
                {
                  id: 'accounts',
                  header: 'Accounts',
                  className: 'wrap',
                  value: (e) => (e.accountIds.length ? e.accountIds.map(accountName).join(', ') : 'All accounts'),
                  cell: (e) => (e.accountIds.length ? e.accountIds.map(accountName).join(', ') : 'All accounts'),
                },
                { id: 'fired', header: 'Fired', value: (e) => e.firedAt, cell: (e) => dateTime(e.firedAt) },
                { id: 'status', header: 'Status', value: (e) => e.status, cell: (e) => <AlertStatusBadge status={e.status} /> },
                {
                  id: 'actions',
                  header: 'Actions',
                  headerContent: <span className="visually-hidden">Actions</span>,
                  hideable: false,
                  cellProps: () => ({ 'data-label': undefined }),
                  cell: (e) => (
                    <div className="actions">
                      <button type="button" aria-label={`Details: ${e.ruleName}, ${e.periodKey}`} onClick={() => setParams({ alert: e.id })}>
                        Details
                      </button>
                      {mayManage && e.status === 'open' && (
                        <button type="button" aria-label={`Acknowledge: ${e.ruleName}, ${e.periodKey}`} disabled={busy === e.id} onClick={() => void acknowledge(e)}>
                          Acknowledge
                        </button>
                      )}
                    </div>
                  ),
                },
              ]}
            />
            {events.data.total > events.data.items.length && (
              <p className="kpi-note">
                The latest {events.data.items.length} of {events.data.total}.
              </p>
            )}
          </>
        )}
      </section>
      {selected && <AlertDetail id={selected} accountName={accountName} channelName={channelName} onClose={() => setParams({ alert: null })} />}
    </>
  );
}
