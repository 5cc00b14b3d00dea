import type { AlertRule } from '@meridian/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { alertsApi, useAlertRules, useChannels } from '../../api/alerts';
import { useAccounts, useMe } from '../../api/hooks';
import { DataTable } from '../../ui/DataTable';
import { dateTime } from '../../ui/dates';
import { can, canEverywhere } from '../../ui/permissions';
import { Empty, ErrorState, Loading } from '../../ui/States';
import { useUrlParams } from '../../ui/url-state';
import { AlertEventsSection } from './AlertEventsSection';
import { BudgetProgress } from './AlertStatus';
import { CATEGORY_LABEL, describeRuleScope } from './rule-form';
import { RuleForm } from './RuleForm';

function RuleSummary({ rule }: { rule: AlertRule }) {
  if (rule.budget) {
    return (
      <>
        {rule.budget.period}, thresholds {rule.budget.thresholds.map((t) => `${t.percent} % ${t.basis}`).join(', ')}
      </>
    );
  }
  if (rule.anomaly) return <>{`${rule.anomaly.sensitivity} sensitivity, per ${rule.anomaly.grain}, differences from ${rule.anomaly.minAbsoluteDelta}`}</>;
  if (rule.syncHealth) return <>{`stale after ${rule.syncHealth.staleHours} h${rule.syncHealth.authFailures ? ', sign-in failures' : ''}, throttled ${rule.syncHealth.throttledHours} h, quarantined ≥ ${rule.syncHealth.quarantinedAtLeast}`}</>;
  if (rule.sandboxCap) return <>{`${rule.sandboxCap.thresholds.join(' %, ')} % of the $200 cap`}</>;
  return null;
}

/** Budgets & alerts (DESIGN §8–9): alerts to acknowledge, budgets with their state, rules to edit. */
export function AlertsPage() {
  const me = useMe();
  const queryClient = useQueryClient();
  const [params, setParams] = useUrlParams();
  const accounts = useAccounts();
  const rules = useAlertRules();
  const channels = useChannels();
  const mayManage = can(me.data, 'alerts');
  const everywhere = canEverywhere(me.data, 'alerts');
  const [evaluating, setEvaluating] = useState(false);
  const [evaluation, setEvaluation] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  // The form is a view state too: ?rule=new or ?rule=<id> opens it (and survives a reload).
  const editing = params.get('rule');
  const accountList = accounts.data?.items ?? [];
  const accountName = (id: string) => accountList.find((a) => a.id === id)?.name ?? id;
  const channelName = (id: string) => channels.data?.items.find((c) => c.id === id)?.name ?? id;
  const editedRule = editing && editing !== 'new' ? (rules.data?.items.find((r) => r.id === editing) ?? null) : null;

  const refresh = () => Promise.all(['alert-rules', 'alerts', 'alert'].map((k) => queryClient.invalidateQueries({ queryKey: [k] })));
  const evaluate = async () => {
    setEvaluating(true);
    setEvaluation(null);
    setActionError(null);
    try {
      const r = await alertsApi.evaluate();
      setEvaluation(
        `Evaluated ${r.rules} rule${r.rules === 1 ? '' : 's'}: ${r.fired} alert${r.fired === 1 ? '' : 's'} fired, ${r.resolved} resolved, ${r.notifications} notification${r.notifications === 1 ? '' : 's'} sent${r.errors.length ? `; ${r.errors.length} rule(s) failed: ${r.errors.map((e) => e.error).join('; ')}` : ''}.`,
      );
      await refresh();
    } catch (err) {
      setActionError(err);
    } finally {
      setEvaluating(false);
    }
  };
  const remove = async (rule: AlertRule) => {
    setActionError(null);
    try {
      await alertsApi.deleteRule(rule.id);
      setConfirmDelete(null);
      await refresh();
    } catch (err) {
      setActionError(err);
    }
  };

  return (
    <>
      <header className="page-header section-head">
        <div>
          <h1>Budgets &amp; alerts</h1>
          <p className="subtitle">Rules are evaluated after every sync and daily; each threshold crossing is one alert and one notification per channel.</p>
        </div>
        {everywhere && (
          <button type="button" onClick={() => void evaluate()} disabled={evaluating} data-testid="evaluate-now">
            {evaluating ? 'Evaluating…' : 'Evaluate now'}
          </button>
        )}
      </header>
      {evaluation && (
        <p role="status" className="result-ok" data-testid="evaluation-result">
          {evaluation}
        </p>
      )}
      {actionError !== null && <ErrorState error={actionError} />}

      <AlertEventsSection mayManage={mayManage} accountName={accountName} channelName={channelName} />

      <section aria-labelledby="rules-heading">
        <div className="section-head">
          <h2 id="rules-heading">Budgets and rules</h2>
          {mayManage && editing === null && (
            <button type="button" className="primary" onClick={() => setParams({ rule: 'new' })}>
              New budget or rule
            </button>
          )}
        </div>
        {rules.isPending && <Loading what="budgets and rules" />}
        {rules.isError && <ErrorState error={rules.error} />}
        {rules.data && rules.data.items.length === 0 && (
          <Empty>
            <p>No budget or alert rule yet{mayManage ? ': create one to be told when spend crosses a threshold.' : '.'}</p>
          </Empty>
        )}
        {rules.data && rules.data.items.length > 0 && (
          <DataTable
            testId="rules-table"
            className="stack"
            label="Budgets and rules, table"
            rows={rules.data.items}
            rowKey={(r) => r.id}
            rowProps={(r) => ({ 'data-rule': r.id, className: r.id === editing ? 'selected' : undefined })}
            columns={[
              {
                id: 'name',
                header: 'Name',
                rowHeader: true,
                value: (r) => r.name,
                cell: (r) => (
                  <>
                    {r.name} {!r.enabled && <span className="badge badge-never">Disabled</span>}
                  </>
                ),
              },
              { id: 'kind', header: 'Kind', value: (r) => CATEGORY_LABEL[r.kind], cell: (r) => CATEGORY_LABEL[r.kind] },
              { id: 'scope', header: 'Applies to', className: 'wrap', value: (r) => describeRuleScope(r, accountName), cell: (r) => describeRuleScope(r, accountName) },
              {
                id: 'status',
                header: 'Status',
                className: 'wrap',
                sortable: false,
                cell: (r) => (r.budget ? <BudgetProgress rule={r} /> : r.lastEvaluatedAt ? 'Evaluated' : <span className="kpi-note">Not evaluated yet</span>),
              },
              { id: 'settings', header: 'Settings', className: 'wrap', sortable: false, cell: (r) => <RuleSummary rule={r} /> },
              {
                id: 'notifies',
                header: 'Notifies',
                className: 'wrap',
                value: (r) => (r.channelIds.length ? r.channelIds.map(channelName).join(', ') : 'no channel'),
                cell: (r) => (r.channelIds.length ? r.channelIds.map(channelName).join(', ') : 'no channel'),
              },
              { id: 'lastEvaluated', header: 'Last evaluated', value: (r) => r.lastEvaluatedAt, cell: (r) => dateTime(r.lastEvaluatedAt) },
              ...(mayManage
                ? [
                    {
                      id: 'actions',
                      header: 'Actions',
                      headerContent: <span className="visually-hidden">Actions</span>,
                      hideable: false,
                      cellProps: () => ({ 'data-label': undefined }),
                      cell: (r: AlertRule) => (
                        <div className="actions">
                          <button type="button" aria-label={`Edit ${r.name}`} onClick={() => setParams({ rule: r.id })}>
                            Edit
                          </button>
                          {confirmDelete === r.id ? (
                            <>
                              <button type="button" className="danger" aria-label={`Confirm delete: ${r.name}`} onClick={() => void remove(r)}>
                                Confirm delete
                              </button>
                              <button type="button" onClick={() => setConfirmDelete(null)}>
                                Keep
                              </button>
                            </>
                          ) : (
                            <button type="button" aria-label={`Delete ${r.name}`} onClick={() => setConfirmDelete(r.id)}>
                              Delete
                            </button>
                          )}
                        </div>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </section>

      {mayManage && editing !== null && (editing === 'new' || editedRule) && accounts.data && (
        <RuleForm
          key={editing}
          rule={editedRule}
          accounts={accountList}
          channels={channels.data?.items ?? []}
          mayUseEveryAccount={everywhere}
          onCancel={() => setParams({ rule: null })}
          onSave={async (input) => {
            if (editedRule) await alertsApi.updateRule(editedRule.id, input);
            else await alertsApi.createRule(input);
            setParams({ rule: null });
            await refresh();
          }}
        />
      )}
      {channels.isError && <ErrorState error={channels.error} />}
      {everywhere && (
        <p className="kpi-note">
          Email and webhook channels: <Link to="/settings/notifications">Settings → Notification channels</Link>.
        </p>
      )}
    </>
  );
}
