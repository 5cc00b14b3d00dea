import { ALERT_CATEGORIES, BUDGET_PERIODS, BUDGET_SCOPE_KINDS, CLOUDS, type Account, type AlertRule, type NotificationChannelDto } from '@meridian/contracts';
import { useEffect, useRef, useState } from 'react';
import { ApiRequestError } from '../../api/client';
import { cloudLabel } from '../../ui/labels';
import { ErrorState } from '../../ui/States';
import { CATEGORY_LABEL, emptyRuleForm, fromRule, toRuleInput, type RuleFormState } from './rule-form';

const SCOPE_LABEL: Record<RuleFormState['scopeKind'], string> = {
  all: 'All accounts',
  cloud: 'A cloud',
  account: 'An account',
  customer: 'A customer',
  subscription: 'A subscription',
  service: 'A service',
};

/** The message the API gave for a field (by its path), shown under that field. */
function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <span id={id} className="field-error">
      {message}
    </span>
  ) : null;
}

/**
 * Create or edit a rule. The API validates (zod) and answers 400 with each bad field's path; the
 * form shows every message next to its field as well as in the list below.
 */
export function RuleForm({
  rule,
  accounts,
  channels,
  mayUseEveryAccount,
  onSave,
  onCancel,
}: {
  rule: AlertRule | null;
  accounts: Account[];
  channels: NotificationChannelDto[];
  mayUseEveryAccount: boolean;
  onSave: (input: ReturnType<typeof toRuleInput>) => Promise<void>;
  onCancel: () => void;
}) {
  const defaultCurrency = accounts[0]?.currency ?? 'EUR';
  const [f, setF] = useState<RuleFormState>(() => (rule ? fromRule(rule) : { ...emptyRuleForm(defaultCurrency), accountId: mayUseEveryAccount ? '' : (accounts[0]?.id ?? '') }));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [rule?.id]);
  const set = (patch: Partial<RuleFormState>) => setF((prev) => ({ ...prev, ...patch }));
  const issues = error instanceof ApiRequestError ? (error.body.issues ?? []) : [];
  const issue = (field: string) => issues.filter((i) => i.field === field || i.field.startsWith(`${field}.`)).map((i) => i.message).join('; ') || undefined;
  const invalid = (field: string) => (issue(field) ? { 'aria-invalid': true as const, 'aria-describedby': `err-${field.replace(/\W/g, '-')}` } : {});
  const err = (field: string) => <FieldError id={`err-${field.replace(/\W/g, '-')}`} message={issue(field)} />;

  const scopeKinds = BUDGET_SCOPE_KINDS.filter((k) => mayUseEveryAccount || !(k === 'all' || k === 'cloud'));
  const needsAccount = f.kind === 'budget' ? ['account', 'customer', 'subscription'].includes(f.scopeKind) || (f.scopeKind === 'service' && !mayUseEveryAccount) : !mayUseEveryAccount;
  const accountOptional = f.kind === 'budget' ? f.scopeKind === 'service' && mayUseEveryAccount : mayUseEveryAccount;
  const showAccount = f.kind !== 'budget' || !['all', 'cloud'].includes(f.scopeKind);
  const accountChoices = f.kind === 'sandbox-cap' ? accounts.filter((a) => a.sandbox) : accounts;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await onSave(toRuleInput(f));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="rule-form-heading" data-testid="rule-form">
      <h2 id="rule-form-heading" tabIndex={-1} ref={heading}>
        {rule ? `Edit ${rule.name}` : 'New budget or alert rule'}
      </h2>
      <form aria-labelledby="rule-form-heading" onSubmit={submit} noValidate>
        <div className="form-grid">
          <label>
            Name
            <input name="name" value={f.name} onChange={(e) => set({ name: e.target.value })} {...invalid('name')} />
            {err('name')}
          </label>
          <label>
            Kind
            <select name="kind" value={f.kind} disabled={rule !== null} onChange={(e) => set({ kind: e.target.value as RuleFormState['kind'] })}>
              {ALERT_CATEGORIES.map((k) => (
                <option key={k} value={k}>
                  {CATEGORY_LABEL[k]}
                </option>
              ))}
            </select>
          </label>
          {f.kind === 'budget' && (
            <label>
              Budget scope
              <select name="scopeKind" value={f.scopeKind} onChange={(e) => set({ scopeKind: e.target.value as RuleFormState['scopeKind'] })} {...invalid('budget.scope')}>
                {scopeKinds.map((k) => (
                  <option key={k} value={k}>
                    {SCOPE_LABEL[k]}
                  </option>
                ))}
              </select>
              {err('budget.scope.kind')}
            </label>
          )}
          {f.kind === 'budget' && f.scopeKind === 'cloud' && (
            <label>
              Cloud
              <select value={f.cloud} onChange={(e) => set({ cloud: e.target.value as RuleFormState['cloud'] })} {...invalid('budget.scope.cloud')}>
                <option value="">Choose a cloud</option>
                {CLOUDS.map((c) => (
                  <option key={c} value={c}>
                    {cloudLabel(c)}
                  </option>
                ))}
              </select>
              {err('budget.scope.cloud')}
            </label>
          )}
          {showAccount && (
            <label>
              Account{accountOptional ? ' (optional)' : ''}
              <select
                name="accountId"
                value={f.accountId}
                onChange={(e) => {
                  const a = accounts.find((x) => x.id === e.target.value);
                  set({ accountId: e.target.value, ...(a && !rule ? { currency: a.currency } : {}) });
                }}
                {...invalid(f.kind === 'budget' ? 'budget.scope.accountId' : 'accountId')}
              >
                {(accountOptional || !needsAccount) && <option value="">{f.kind === 'budget' ? 'Every account' : 'Every account I see'}</option>}
                {needsAccount && !accountOptional && f.accountId === '' && <option value="">Choose an account</option>}
                {accountChoices.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} ({a.currency})
                  </option>
                ))}
              </select>
              {err('budget.scope.accountId')}
            </label>
          )}
          {f.kind === 'budget' && f.scopeKind === 'customer' && (
            <label>
              Customer id
              <input value={f.customerId} onChange={(e) => set({ customerId: e.target.value })} {...invalid('budget.scope.customerId')} />
              {err('budget.scope.customerId')}
            </label>
          )}
          {f.kind === 'budget' && f.scopeKind === 'subscription' && (
            <label>
              Subscription id
              <input value={f.subscriptionId} onChange={(e) => set({ subscriptionId: e.target.value })} {...invalid('budget.scope.subscriptionId')} />
              {err('budget.scope.subscriptionId')}
            </label>
          )}
          {f.kind === 'budget' && f.scopeKind === 'service' && (
            <label>
              Service
              <input value={f.service} placeholder="Virtual Machines" onChange={(e) => set({ service: e.target.value })} {...invalid('budget.scope.service')} />
              {err('budget.scope.service')}
            </label>
          )}
          {f.kind === 'budget' && (
            <>
              <label>
                Period
                <select value={f.period} onChange={(e) => set({ period: e.target.value as RuleFormState['period'] })}>
                  {BUDGET_PERIODS.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Amount
                <input name="amount" inputMode="decimal" value={f.amount} placeholder="10000.00" onChange={(e) => set({ amount: e.target.value })} {...invalid('budget.amount')} />
                {err('budget.amount')}
              </label>
              <label>
                Currency
                <input name="currency" value={f.currency} maxLength={3} onChange={(e) => set({ currency: e.target.value.toUpperCase() })} {...invalid('budget.currency')} />
                {err('budget.currency')}
              </label>
            </>
          )}
          {f.kind === 'anomaly' && (
            <>
              <label>
                Judge the daily cost of
                <select value={f.grain} onChange={(e) => set({ grain: e.target.value as RuleFormState['grain'] })}>
                  <option value="account">each account</option>
                  <option value="service">each service of each account</option>
                </select>
              </label>
              <label>
                Sensitivity
                <select value={f.sensitivity} onChange={(e) => set({ sensitivity: e.target.value as RuleFormState['sensitivity'] })}>
                  <option value="low">low (only large jumps)</option>
                  <option value="medium">medium</option>
                  <option value="high">high (smaller jumps too)</option>
                </select>
              </label>
              <label>
                Ignore differences below (account currency)
                <input inputMode="decimal" value={f.minAbsoluteDelta} onChange={(e) => set({ minAbsoluteDelta: e.target.value })} {...invalid('anomaly.minAbsoluteDelta')} />
                {err('anomaly.minAbsoluteDelta')}
              </label>
            </>
          )}
          {f.kind === 'sync-health' && (
            <>
              <label>
                Stale after (hours without a successful sync)
                <input inputMode="numeric" value={f.staleHours} onChange={(e) => set({ staleHours: e.target.value })} {...invalid('syncHealth.staleHours')} />
                {err('syncHealth.staleHours')}
              </label>
              <label>
                Throttled for (hours)
                <input inputMode="numeric" value={f.throttledHours} onChange={(e) => set({ throttledHours: e.target.value })} {...invalid('syncHealth.throttledHours')} />
                {err('syncHealth.throttledHours')}
              </label>
              <label>
                Quarantined records at least
                <input inputMode="numeric" value={f.quarantinedAtLeast} onChange={(e) => set({ quarantinedAtLeast: e.target.value })} {...invalid('syncHealth.quarantinedAtLeast')} />
                {err('syncHealth.quarantinedAtLeast')}
              </label>
              <label className="check">
                <input type="checkbox" checked={f.authFailures} onChange={(e) => set({ authFailures: e.target.checked })} /> Alert on sign-in failures
              </label>
            </>
          )}
          {f.kind === 'sandbox-cap' && (
            <label>
              Thresholds (% of the $200 monthly cap)
              <input value={f.capThresholds} placeholder="80, 100" onChange={(e) => set({ capThresholds: e.target.value })} {...invalid('sandboxCap.thresholds')} />
              {err('sandboxCap.thresholds')}
            </label>
          )}
        </div>

        {f.kind === 'budget' && (
          <fieldset className="thresholds">
            <legend>Thresholds (% of the amount, on actual or forecast cost)</legend>
            {err('budget.thresholds')}
            {f.thresholds.map((t, i) => (
              <div key={i} className="threshold-row">
                <label>
                  Threshold {i + 1} percent
                  <input
                    inputMode="decimal"
                    value={t.percent}
                    onChange={(e) => set({ thresholds: f.thresholds.map((x, j) => (j === i ? { ...x, percent: e.target.value } : x)) })}
                    {...invalid(`budget.thresholds.${i}`)}
                  />
                </label>
                <label>
                  Threshold {i + 1} on
                  <select value={t.basis} onChange={(e) => set({ thresholds: f.thresholds.map((x, j) => (j === i ? { ...x, basis: e.target.value as 'actual' | 'forecast' } : x)) })}>
                    <option value="actual">actual cost</option>
                    <option value="forecast">forecast cost</option>
                  </select>
                </label>
                <button type="button" aria-label={`Remove threshold ${i + 1}`} onClick={() => set({ thresholds: f.thresholds.filter((_, j) => j !== i) })}>
                  Remove
                </button>
                {err(`budget.thresholds.${i}`)}
              </div>
            ))}
            <button type="button" onClick={() => set({ thresholds: [...f.thresholds, { percent: '', basis: 'actual' }] })} disabled={f.thresholds.length >= 10}>
              Add threshold
            </button>
          </fieldset>
        )}

        <fieldset className="channels-choice">
          <legend>Notify</legend>
          {channels.length === 0 && <p className="kpi-note">No notification channel yet: alerts are still recorded here. Channels are set up under Settings → Notification channels.</p>}
          {channels.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={f.channelIds.includes(c.id)}
                onChange={(e) => set({ channelIds: e.target.checked ? [...f.channelIds, c.id] : f.channelIds.filter((x) => x !== c.id) })}
              />
              {c.name} ({c.kind})
            </label>
          ))}
          {err('channelIds')}
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={f.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled
        </label>
        {error !== null && <ErrorState error={error} />}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {rule ? 'Save changes' : 'Create rule'}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
