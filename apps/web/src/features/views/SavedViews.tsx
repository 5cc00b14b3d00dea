import type { SavedView } from '@meridian/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiRequestError } from '../../api/client';
import { viewsApi } from '../../api/views';
import { ErrorState } from '../../ui/States';
import { MyReportSubscriptions, SubscribeControl, useMyReportSubscriptions } from './ReportSubscriptions';

type ViewPath = SavedView['path'];

/**
 * Save the page's current URL as a named view, private or shared with the users who see the same
 * accounts, and open the views saved for this page (yours and those shared with you).
 */
export function SavedViews({ path, suggestedName }: { path: ViewPath; suggestedName: string }) {
  const location = useLocation();
  const queryClient = useQueryClient();
  const key = ['saved-views', path];
  const views = useQuery({ queryKey: key, queryFn: ({ signal }) => viewsApi.list(path, signal), retry: false });
  const subscriptions = useMyReportSubscriptions();
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const ids = { name: useId(), shared: useId(), heading: useId() };
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });

  const save = useMutation({
    mutationFn: () => viewsApi.create({ name: name.trim() || suggestedName, path, query: location.search.replace(/^\?/, ''), shared }),
    onSuccess: async (v) => {
      setStatus(`Saved "${v.name}"${v.shared ? ', shared with the users of its accounts' : ''}.`);
      setName('');
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (v: SavedView) => viewsApi.remove(v.id).then(() => v),
    onSuccess: async (v) => {
      setStatus(`Deleted "${v.name}".`);
      await refresh();
    },
  });
  const toggleShare = useMutation({
    mutationFn: (v: SavedView) => viewsApi.update(v.id, { shared: !v.shared }),
    onSuccess: async (v) => {
      setStatus(v.shared ? `"${v.name}" is shared.` : `"${v.name}" is private.`);
      await refresh();
    },
  });
  const fieldError = (field: string) =>
    save.error instanceof ApiRequestError ? save.error.body.issues?.find((i) => i.field === field)?.message : undefined;

  return (
    <section aria-labelledby={ids.heading} className="saved-views" data-testid="saved-views">
      <h2 id={ids.heading}>Saved views</h2>
      <form
        className="form-actions"
        onSubmit={(e) => {
          e.preventDefault();
          setStatus(null);
          save.mutate();
        }}
      >
        <label htmlFor={ids.name}>View name</label>
        <input id={ids.name} value={name} placeholder={suggestedName} maxLength={200} onChange={(e) => setName(e.target.value)} aria-invalid={!!fieldError('name')} />
        <label className="check" htmlFor={ids.shared}>
          <input id={ids.shared} type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
          Share with the users of these accounts
        </label>
        <button type="submit" disabled={save.isPending}>
          Save view
        </button>
      </form>
      {save.isError && <ErrorState error={save.error} />}
      {status && (
        <p role="status" className="kpi-note">
          {status}
        </p>
      )}
      {views.isError && <ErrorState error={views.error} />}
      {views.data && views.data.items.length === 0 && <p className="kpi-note">No saved views for this page yet.</p>}
      {views.data && views.data.items.length > 0 && (
        <ul className="saved-view-list actions-list">
          {views.data.items.map((v) => (
            <li key={v.id} data-view={v.name}>
              <Link to={`${v.path}${v.query ? `?${v.query}` : ''}`}>{v.name}</Link>
              <span className="kpi-note">
                {v.mine ? 'yours' : `by ${v.ownerName}`}
                {v.shared ? ' · shared' : ' · private'}
              </span>
              <SubscribeControl view={v} current={subscriptions.data?.items.find((s) => s.viewId === v.id)} onDone={setStatus} />
              {v.mine && (
                <>
                  <button type="button" className="cell-button" onClick={() => toggleShare.mutate(v)} aria-label={`${v.shared ? 'Unshare' : 'Share'} ${v.name}`}>
                    {v.shared ? 'Unshare' : 'Share'}
                  </button>
                  <button type="button" className="cell-button" onClick={() => remove.mutate(v)} aria-label={`Delete ${v.name}`}>
                    Delete
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <MyReportSubscriptions onDone={setStatus} />
    </section>
  );
}
