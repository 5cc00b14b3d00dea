import type { RateConflict } from '@meridian/contracts';
import { ApiRequestError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorState({ error }: { error: unknown }) {
  const issues = error instanceof ApiRequestError ? (error.body.issues ?? []) : [];
  // 422 of a conversion: the rates the table lacks, each with its month.
  const missing = error instanceof ApiRequestError ? ((error.body as { missing?: { pair: string; period: string }[] }).missing ?? []) : [];
  const conflicts = error instanceof ApiRequestError ? ((error.body as { conflicts?: RateConflict[] }).conflicts ?? []) : [];
  return (
    <div className="state state-error" role="alert">
      <p>{error instanceof Error ? error.message : 'Something went wrong.'}</p>
      {error instanceof ApiRequestError && error.status === 403 && <p>Ask the owner of this Meridian for a grant on the accounts you need.</p>}
      {missing.length > 0 && (
        <p>
          Missing exchange rates: {missing.map((m) => `${m.pair} ${m.period}`).join(', ')}. Enter or import them under Settings → Exchange rates, or change the rate sources under
          Settings → Reporting currency.
        </p>
      )}
      {conflicts.length > 0 && (
        <p data-testid="rate-conflicts">
          Microsoft&apos;s billing rates disagree (not used, never averaged):{' '}
          {conflicts.map((c) => `${c.pair} ${c.period}: ${c.observed.map((o) => `${o.rate} (${o.rows} line items)`).join(' vs ')}`).join('; ')}.
        </p>
      )}
      {issues.length > 0 && (
        <ul>
          {issues.map((i) => (
            <li key={i.field}>
              <code>{i.field}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/** An endpoint this server does not have yet (another part of Meridian is still on its way). */
export function NotAvailable({ what }: { what: string }) {
  return (
    <div className="state state-empty" role="status">
      <p>{what} is not available on this server yet.</p>
    </div>
  );
}
