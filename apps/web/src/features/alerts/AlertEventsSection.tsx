import { ALERT_CATEGORIES, type AlertCategory, type AlertEvent, type AlertStatusName } from '@meridian/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { alertsApi, useAlertEvent, useAlertEvents } from '../../api/alerts';
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
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Delivery attempts, table">
              <table data-testid="alert-deliveries" className="stack">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Channel</th>
                    <th scope="col" className="num">
                      Attempt
                    </th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.data.deliveries.map((d) => (
                    <tr key={`${d.channelId}-${d.dedupKey}-${d.attempt}`}>
                      <th scope="row">{dateTime(d.at)}</th>
                      <td data-label="Channel">{channelName(d.channelId)}</td>
                      <td data-label="Attempt" className="num">
                        {d.attempt}
                      </td>
                      <td data-label="Result" className={d.ok ? 'result-ok' : 'result-bad'}>
                        {d.ok ? 'delivered' : 'failed'}
                        {d.status !== null && ` (${d.status})`}
                        {d.error && `: ${d.error}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
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
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Alerts, table">
            <table data-testid="alerts-table" className="stack">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">What</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                  <th scope="col">Accounts</th>
                  <th scope="col">Fired</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {events.data.items.map((e) => (
                  <tr key={e.id} data-alert={e.id} data-status={e.status} className={e.id === selected ? 'selected' : undefined}>
                    <th scope="row">
                      {e.ruleName}
                      <span className="kpi-note"> · {CATEGORY_LABEL[e.category]}</span>
                    </th>
                    <td className="wrap" data-label="What">
                      {e.condition}
                    </td>
                    <td className="num" data-label="Value" data-testid={`alert-value-${e.id}`}>
                      <ValueAgainstLimit event={e} />
                    </td>
                    <td className="wrap" data-label="Accounts">
                      {e.accountIds.length ? e.accountIds.map(accountName).join(', ') : 'All accounts'}
                    </td>
                    <td data-label="Fired">{dateTime(e.firedAt)}</td>
                    <td data-label="Status">
                      <AlertStatusBadge status={e.status} />
                    </td>
                    <td>
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
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {events.data.total > events.data.items.length && (
              <p className="kpi-note">
                The latest {events.data.items.length} of {events.data.total}.
              </p>
            )}
          </div>
        )}
      </section>
      {selected && <AlertDetail id={selected} accountName={accountName} channelName={channelName} onClose={() => setParams({ alert: null })} />}
    </>
  );
}
