import { Link } from 'react-router';
import { useAlertEvents } from '../../api/alerts';
import { dateTime } from '../../ui/dates';
import { ErrorState, Loading } from '../../ui/States';
import { ValueAgainstLimit } from './AlertStatus';
import { CATEGORY_LABEL } from './rule-form';

/** The Overview's "Open alerts": how many, and the latest few (each links to its detail). */
export function OpenAlerts({ latest = 5 }: { latest?: number }) {
  const open = useAlertEvents({ status: 'open', limit: latest });
  return (
    <section aria-labelledby="open-alerts-heading">
      <h2 id="open-alerts-heading">
        Open alerts
        {open.data && (
          <span className="section-total">
            <span data-testid="open-alerts-count">{open.data.total}</span> open
          </span>
        )}
      </h2>
      {open.isPending && <Loading what="open alerts" />}
      {open.isError && <ErrorState error={open.error} />}
      {open.data && open.data.total === 0 && <p className="state state-empty">No open alert: every budget and rule is within its limits.</p>}
      {open.data && open.data.items.length > 0 && (
        <ul className="alert-list" data-testid="open-alerts">
          {open.data.items.map((e) => (
            <li key={e.id} data-alert={e.id}>
              <Link to={`/alerts?alert=${encodeURIComponent(e.id)}`}>{e.ruleName}</Link>
              <span className="kpi-note"> · {CATEGORY_LABEL[e.category]} · {dateTime(e.firedAt)}</span>
              <div>
                {e.condition}
                {e.value && (
                  <>
                    {' · '}
                    <ValueAgainstLimit event={e} />
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/alerts">{open.data && open.data.total > open.data.items.length ? `All ${open.data.total} open alerts` : 'Budgets and alerts'}</Link>
      </p>
    </section>
  );
}
