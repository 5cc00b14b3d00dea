/** Public types of the Microsoft Graph billing export read (decision 0015, partner-center-api.md §5.5). */
import type { Page } from '../models/page';

export const DEFAULT_GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** `graph` of PartnerCenterClientOptions: set for accounts whose cloud has the Graph export (global). */
export interface GraphClientOptions {
  /** Graph base including the version, e.g. `https://graph.microsoft.com/v1.0`. */
  baseUrl: string;
  /** v2 token endpoint `{authority}/{tenantId}/oauth2/v2.0/token`. */
  tokenUrl: string;
  /** Default `https://graph.microsoft.com/.default`. */
  scope?: string;
  /** Wait between polls when Graph sends no Retry-After. Default 10000. */
  pollIntervalMs?: number;
  /** Give up on one export after polling it this long, then start a new one. Default 30 min. */
  maxPollMs?: number;
  /** Exports started at most per read (the first one included). Default 3. */
  maxExports?: number;
  /** Line items per yielded batch. Default 2000. */
  batchSize?: number;
}

export type GraphExportRequest = { kind: 'billed'; invoiceId: string } | { kind: 'unbilled'; currency: string; period: 'current' | 'last' };

/** Where the next batch starts, in the blobs of one export's manifest (identified by its eTag). */
export interface GraphExportCheckpoint {
  operationUrl: string;
  eTag: string | null;
  /** 0-based index into the manifest's blobs. */
  blobIndex: number;
  /** Non-empty lines of that blob already delivered (valid or invalid). */
  lineInBlob: number;
}

export type GraphExportProgress =
  | { phase: 'exporting'; operationStatus: 'notStarted' | 'running'; polls: number; elapsedMs: number }
  | { phase: 'downloading'; blobsDone: number; blobCount: number; lines: number; bytes: number };

export interface GraphExportOptions {
  /** Resume: re-read this operation and skip the blobs and lines already delivered. */
  checkpoint?: GraphExportCheckpoint;
  onProgress?: (p: GraphExportProgress) => void;
  correlationId?: string;
}

export interface GraphBatch<T> extends Page<T> {
  /** Where the next batch starts. */
  checkpoint: GraphExportCheckpoint;
  /**
   * True on the first batch of a new export after the old one became unusable (data changed, the
   * operation vanished): rows delivered from the old export must be discarded by the caller.
   */
  restarted: boolean;
}
