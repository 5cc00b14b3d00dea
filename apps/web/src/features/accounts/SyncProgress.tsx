import type { Account, SyncRun } from '@meridian/contracts';

const READ_PATH_LABEL: Record<'graph' | 'v1' | 'both', string> = { graph: 'Graph export', v1: 'v1 API', both: 'Graph export and v1 API' };
export const readPathLabel = (path: 'graph' | 'v1' | 'both') => READ_PATH_LABEL[path];

/**
 * How an account reads usage: the Microsoft Graph billing export or the paged v1 API. Said in
 * words (not by colour alone), with "override" when the account forces a read instead of `auto`.
 */
export function ReadPathBadge({ account }: { account: Pick<Account, 'id' | 'usageApi' | 'usageReadPath'> }) {
  const overridden = account.usageApi !== 'auto';
  const title = overridden
    ? `Set on this account (usage read: ${readPathLabel(account.usageApi as 'graph' | 'v1')}); automatic would follow the cloud`
    : 'Chosen automatically by cloud: global and EU read the Microsoft Graph billing export, US Government, 21Vianet and Germany the v1 API';
  return (
    <span className="read-path" data-testid={`read-path-${account.id}`} title={title}>
      <span className={`badge badge-read-${account.usageReadPath}`}>{readPathLabel(account.usageReadPath)}</span>
      {overridden && <span className="kpi-note"> (override)</span>}
    </span>
  );
}

function eta(seconds: number | null) {
  if (seconds === null) return '';
  return seconds < 90 ? `, about ${seconds} s left` : `, about ${Math.round(seconds / 60)} min left`;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toLocaleString(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;

/**
 * A running sync. v1 reads: a determinate bar when the work is countable (backfill invoices), else
 * rows and pages so far with an ETA. Graph export reads: what the export waits for or does now
 * (phase), blobs done of total as a determinate bar once the manifest is known, rows and MB read.
 */
export function SyncProgress({ run }: { run: SyncRun }) {
  const label = `${run.stream} ${run.status}`;
  const countable = run.unitsTotal !== null && run.unitsTotal > 0;
  const blobs = run.blobsTotal !== null && run.blobsTotal > 0;
  // A pure Graph run has no pages to speak of (its batches are not Partner Center pages).
  const graphOnly = run.readPath === 'graph';
  const parts = [
    `${label}${countable ? `: ${run.unitsDone ?? 0} of ${run.unitsTotal}` : ''}`,
    blobs ? `blob ${run.blobsDone ?? 0} of ${run.blobsTotal}` : null,
    graphOnly ? `${run.rows.toLocaleString()} rows` : `${run.rows.toLocaleString()} rows, ${run.pages} pages`,
    run.bytesDone !== null ? megabytes(run.bytesDone) : null,
  ].filter((p): p is string => p !== null);
  return (
    <div className="progress" data-testid={`progress-${run.accountId}`}>
      {countable ? (
        <progress max={run.unitsTotal!} value={run.unitsDone ?? 0} aria-label={label} />
      ) : blobs ? (
        <progress max={run.blobsTotal!} value={run.blobsDone ?? 0} aria-label={`${label}: export blobs downloaded`} />
      ) : (
        <progress aria-label={label} />
      )}
      {run.phase && (
        <span className="phase" data-testid={`phase-${run.accountId}`}>
          {run.phase}
        </span>
      )}
      <span aria-live="polite">
        {parts.join(' · ')}
        {eta(run.etaSeconds)}
      </span>
    </div>
  );
}
