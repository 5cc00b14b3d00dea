import { REPORT_FREQUENCIES, REPORTABLE_VIEW_PATHS, type ReportFrequency, type ReportSubscription, type SavedView } from '@meridian/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { reportSubscriptionsApi } from '../../api/views';
import { ErrorState } from '../../ui/States';

const KEY = ['report-subscriptions', 'mine'];
const WORD: Record<ReportFrequency, string> = { daily: 'Daily', weekly: 'Weekly (Mon–Sun)', monthly: 'Monthly' };

/** The caller's report subscriptions, shared by the per-view control and the list. */
export function useMyReportSubscriptions() {
  return useQuery({ queryKey: KEY, queryFn: ({ signal }) => reportSubscriptionsApi.mine(signal), retry: false });
}

function useSubscriptionChange(onDone: (message: string) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ view, current, frequency }: { view: { id: string; name: string }; current?: ReportSubscription; frequency: ReportFrequency | 'none' }) => {
      if (frequency === 'none') {
        if (current) await reportSubscriptionsApi.remove(current.id);
        return `No more reports of "${view.name}".`;
      }
      await reportSubscriptionsApi.subscribe(view.id, frequency);
      return `${WORD[frequency]} report of "${view.name}" by e-mail.`;
    },
    onSuccess: async (message) => {
      onDone(message);
      await queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
}

/** "E-mail report" select on one saved view: none, daily, weekly or monthly. */
export function SubscribeControl({ view, current, onDone }: { view: SavedView; current?: ReportSubscription; onDone: (message: string) => void }) {
  const id = useId();
  const change = useSubscriptionChange(onDone);
  if (!(REPORTABLE_VIEW_PATHS as readonly string[]).includes(view.path)) return null;
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        E-mail report of {view.name}
      </label>
      <select id={id} value={current?.frequency ?? 'none'} disabled={change.isPending} onChange={(e) => change.mutate({ view, current, frequency: e.target.value as ReportFrequency | 'none' })}>
        <option value="none">No e-mail report</option>
        {REPORT_FREQUENCIES.map((f) => (
          <option key={f} value={f}>
            {WORD[f]} report
          </option>
        ))}
      </select>
      {change.isError && <ErrorState error={change.error} />}
    </>
  );
}

/** The caller's subscriptions to scheduled reports, with the last period sent and an unsubscribe button. */
export function MyReportSubscriptions({ onDone }: { onDone: (message: string) => void }) {
  const mine = useMyReportSubscriptions();
  const change = useSubscriptionChange(onDone);
  const heading = useId();
  if (mine.isError) return <ErrorState error={mine.error} />;
  if (!mine.data || mine.data.items.length === 0) return null;
  return (
    <div aria-labelledby={heading} role="group" data-testid="report-subscriptions">
      <h3 id={heading}>Your e-mail reports</h3>
      <ul className="actions-list">
        {mine.data.items.map((s) => (
          <li key={s.id} data-subscription={s.viewName}>
            <span>
              {s.viewName}: {WORD[s.frequency].toLowerCase()}
            </span>
            <span className="kpi-note">{s.lastPeriod ? ` · last sent for ${s.lastPeriod}` : ' · not sent yet'}</span>
            <button type="button" className="cell-button" disabled={change.isPending} onClick={() => change.mutate({ view: { id: s.viewId, name: s.viewName }, current: s, frequency: 'none' })} aria-label={`Unsubscribe from ${s.viewName}`}>
              Unsubscribe
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
