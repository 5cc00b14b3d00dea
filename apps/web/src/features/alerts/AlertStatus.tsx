import type { AlertEvent, AlertRule } from '@meridian/contracts';
import { formatMoney } from '../../ui/decimal';

const STATUS_LABEL: Record<AlertEvent['status'], string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };
const STATUS_BADGE: Record<AlertEvent['status'], string> = { open: 'badge-failing', acknowledged: 'badge-stale', resolved: 'badge-fresh' };

export function AlertStatusBadge({ status }: { status: AlertEvent['status'] }) {
  return <span className={`badge ${STATUS_BADGE[status]}`}>{STATUS_LABEL[status]}</span>;
}

/** "1,234.00 EUR of 1,000.00 EUR" — what crossed against its limit, exact. */
export function ValueAgainstLimit({ event }: { event: Pick<AlertEvent, 'value' | 'limit'> }) {
  if (!event.value) return <>—</>;
  return (
    <>
      {formatMoney(event.value.amount, event.value.currency)}
      {event.limit && <span className="kpi-note"> of {formatMoney(event.limit.amount, event.limit.currency)}</span>}
    </>
  );
}

/** A budget's current state: actual and forecast against the amount, and the share used. */
export function BudgetProgress({ rule }: { rule: AlertRule }) {
  const b = rule.budget;
  if (!b) return null;
  const s = rule.status;
  const currency = s?.currency ?? b.currency;
  if (!s || (s.actual === undefined && s.forecast === undefined)) {
    return <span className="kpi-note">Not evaluated yet · budget {formatMoney(b.amount, b.currency)}</span>;
  }
  // The bar only draws the share: the figures next to it are the exact strings.
  const used = s.usedPercent !== null && s.usedPercent !== undefined ? Number(s.usedPercent) : null;
  return (
    <div className="progress budget-progress" data-testid={`budget-status-${rule.id}`}>
      <span>
        <strong data-testid={`budget-actual-${rule.id}`}>{s.actual !== undefined ? formatMoney(s.actual, currency) : '—'}</strong> of {formatMoney(b.amount, b.currency)}
        {used !== null && <span data-testid={`budget-used-${rule.id}`}> · {s.usedPercent} % used</span>}
      </span>
      {used !== null && <progress max={100} value={Math.min(100, Math.max(0, used))} aria-label={`${rule.name}: ${s.usedPercent} % of the budget used`} className={used >= 100 ? 'over' : undefined} />}
      {s.forecast !== undefined && <span data-testid={`budget-forecast-${rule.id}`}>Forecast {formatMoney(s.forecast, currency)}{s.periodKey ? ` for ${s.periodKey}` : ''}</span>}
    </div>
  );
}
