/**
 * The export operation and its manifest as Graph answers them (partner-center-api.md §5.5), read
 * leniently: both spellings of success, both data-format names, timestamps with or without `Z`,
 * the manifest inline or behind a navigation link.
 */
import { z } from 'zod';

const manifestSchema = z.object({
  id: z.string().optional(),
  eTag: z.string().nullish(),
  dataFormat: z.string().optional(),
  rootDirectory: z.string().min(1),
  sasToken: z.string().default(''),
  blobCount: z.number().optional(),
  blobs: z.array(z.object({ name: z.string().min(1), partitionValue: z.string().nullish() }).loose()).default([]),
}).loose();

export interface ExportManifest {
  eTag: string | null;
  rootDirectory: string;
  /** Without a leading `?`. */
  sasToken: string;
  blobNames: string[];
}

const operationSchema = z.object({
  id: z.string().optional(),
  status: z.string(),
  createdDateTime: z.string().nullish(),
  lastActionDateTime: z.string().nullish(),
  resourceLocation: z.unknown().optional(),
  'resourceLocation@odata.navigationLink': z.string().optional(),
  error: z.object({ code: z.union([z.string(), z.number()]).nullish(), message: z.string().nullish() }).loose().nullish(),
}).loose();

export type OperationState =
  | { status: 'notStarted' | 'running' }
  | { status: 'succeeded'; manifest: ExportManifest; createdAt?: number; lastActionAt?: number }
  | { status: 'succeeded'; manifestLink: string; createdAt?: number; lastActionAt?: number }
  | { status: 'failed'; code: string | null; message: string | null };

/** Graph's code for "no data for this invoice/period": an empty result, not an error. */
export const NO_DATA_CODE = '5000';

const DATA_FORMATS = new Set(['compressedjson', 'compressedjsonlines']);

/** Parses a polled operation, or returns a reason it cannot be understood. */
export function parseOperation(body: unknown): OperationState | { unreadable: string } {
  const parsed = operationSchema.safeParse(body);
  if (!parsed.success) return { unreadable: `not an export operation: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}` };
  const op = parsed.data;
  switch (op.status.toLowerCase()) {
    case 'notstarted':
      return { status: 'notStarted' };
    case 'running':
      return { status: 'running' };
    // The operation pages say `succeeded`, the resource page `completed`.
    case 'succeeded':
    case 'completed': {
      const times = { createdAt: parseGraphTimestamp(op.createdDateTime), lastActionAt: parseGraphTimestamp(op.lastActionDateTime) };
      if (op.resourceLocation !== undefined && op.resourceLocation !== null) {
        const manifest = parseManifest(op.resourceLocation);
        return 'unreadable' in manifest ? manifest : { status: 'succeeded', manifest, ...times };
      }
      const link = op['resourceLocation@odata.navigationLink'];
      if (link) return { status: 'succeeded', manifestLink: link, ...times };
      return { unreadable: 'succeeded operation without resourceLocation or its navigation link' };
    }
    case 'failed':
      return { status: 'failed', code: op.error?.code != null ? String(op.error.code) : null, message: op.error?.message ?? null };
    default:
      return { unreadable: `unknown operation status "${op.status}"` };
  }
}

export function parseManifest(body: unknown): ExportManifest | { unreadable: string } {
  const parsed = manifestSchema.safeParse(body);
  if (!parsed.success) return { unreadable: `not an export manifest: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}` };
  const m = parsed.data;
  if (m.dataFormat !== undefined && !DATA_FORMATS.has(m.dataFormat.toLowerCase())) return { unreadable: `unsupported dataFormat "${m.dataFormat}"` };
  return {
    eTag: m.eTag ?? null,
    rootDirectory: m.rootDirectory.replace(/\/+$/, ''),
    sasToken: m.sasToken.replace(/^\?/, ''),
    blobNames: m.blobs.map((b) => b.name),
  };
}

/** Same data: same eTag and the same blobs in the same order (so line positions carry over). */
export function sameExportData(a: ExportManifest, b: ExportManifest): boolean {
  return a.eTag === b.eTag && a.blobNames.length === b.blobNames.length && a.blobNames.every((n, i) => n === b.blobNames[i]);
}

/** `GET {rootDirectory}/{name}?{sasToken}`; the name's path segments encoded, the SAS appended as given. */
export function blobUrl(manifest: ExportManifest, index: number): string {
  const name = manifest.blobNames[index]!.split('/').map(encodeURIComponent).join('/');
  return `${manifest.rootDirectory}/${name}${manifest.sasToken ? `?${manifest.sasToken}` : ''}`;
}

/** A blob's URL for logs and errors: no SAS. */
export function blobLabel(manifest: ExportManifest, index: number): string {
  return `${manifest.rootDirectory}/${manifest.blobNames[index] ?? '?'}`;
}

/**
 * Graph timestamps sometimes lack the zone (`2026-11-02T08:00:00`): they are UTC. Returns epoch ms
 * or undefined.
 */
export function parseGraphTimestamp(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}
