import type { InvalidRecord, PartnerCenterClient } from '@meridian/partner-center';
import type { Store, SyncProgress } from '@meridian/store';
import type { MonthRange, SyncStream } from '../queue/sync-queue';
import type { ExportProgressHandle } from '../usage/export-progress';

/** What a stream gets for one run: this account's client and store, and the run's bookkeeping. */
export interface StreamContext {
  accountId: string;
  cloud: string;
  /** The account's billing currency. */
  currency: string;
  runId: string;
  /** The account's read override: auto (§5.4) | graph | v1. */
  usageApi: string;
  client: PartnerCenterClient;
  store: Store;
  progress: SyncProgress;
  /** Backfill: the months to read. */
  range?: MonthRange;
  /** Scheduled invoices stream: read the billed usage of this many most recent invoiced months. */
  billedUsageLookbackMonths: number;
  /** Records progress in countable units (invoices of a backfill), for the ETA. */
  unitsProgress(done: number, total: number): Promise<void>;
  /** Line items per page asked of Partner Center (≤ 2000). */
  usagePageSize: number;
  /** Records one page as done: adds its rows and persists progress (visible in the API). */
  pageDone(rows: number): Promise<void>;
  /** The worker's clock (MERIDIAN_NOW may pin it): which months legacy utilization reads. */
  now(): Date;
  /** Records which read (graph | v1) served usage or reconciliation in this run. */
  usedReadPath(path: 'graph' | 'v1'): void;
  /**
   * Progress of one Graph export (call `end()` when it is done): shown as the run's progress,
   * summed over the run's exports (several run at once), persisted now and then.
   */
  startExportProgress(): ExportProgressHandle;
  /** Keeps records that could not be used, with their reason; counts them in the run. */
  quarantine(invalid: InvalidRecord[]): Promise<void>;
}

export interface SyncStreamRunner {
  readonly stream: SyncStream;
  run(ctx: StreamContext): Promise<void>;
}
