import { z } from 'zod';
import { CLOUDS } from './clouds';

/** How an account reads usage and reconciliation: auto (by cloud and period, §5.4) | graph | v1. */
export const USAGE_APIS = ['auto', 'graph', 'v1'] as const;

export const SYNC_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export const syncRunSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  stream: z.string(),
  status: z.enum(SYNC_STATUSES),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  pages: z.number().int(),
  rows: z.number().int(),
  quarantined: z.number().int(),
  error: z.string().nullable(),
  /** Backfill: the months asked for (YYYY-MM). */
  windowFrom: z.string().nullable(),
  windowTo: z.string().nullable(),
  /** Countable work (invoices of a backfill) done / to do, when known. */
  unitsDone: z.number().int().nullable(),
  unitsTotal: z.number().int().nullable(),
  /** Estimated seconds left while running, from the pace so far; null when it cannot be told. */
  etaSeconds: z.number().int().nullable(),
  /** Which Partner Center read served usage/reconciliation: graph (billing export) | v1 | both. */
  readPath: z.enum(['graph', 'v1', 'both']).nullable(),
  /** What a Graph export run waits for or does now ("waiting for Microsoft to prepare the export …"). */
  phase: z.string().nullable(),
  blobsDone: z.number().int().nullable(),
  blobsTotal: z.number().int().nullable(),
  /** Compressed bytes of export blobs downloaded. */
  bytesDone: z.number().int().nullable(),
});
export type SyncRun = z.infer<typeof syncRunSchema>;

/** One stream (customers, subscriptions, unbilled-usage, …) of one account: its own schedule. */
export const streamStatusSchema = z.object({
  stream: z.string(),
  lastStatus: z.enum(SYNC_STATUSES).nullable(),
  lastRunAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** When the scheduler will queue it next; null while it runs or waits for another stream. */
  nextRunAt: z.string().nullable(),
});
export type StreamStatus = z.infer<typeof streamStatusSchema>;

/** A connected Partner Center account as the API shows it: never any credential. */
export const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  cloud: z.enum(CLOUDS),
  tenantId: z.string(),
  currency: z.string().length(3),
  sandbox: z.boolean(),
  enabled: z.boolean(),
  /** The read override: auto (by cloud and period, partner-center-api.md §5.4) | graph | v1. */
  usageApi: z.enum(USAGE_APIS),
  /** How this account's current usage is read: graph (the Microsoft Graph billing export) or v1 (paged reads). */
  usageReadPath: z.enum(['graph', 'v1']),
  /** The latest run of any stream (with live progress while it runs). */
  lastSync: syncRunSchema.nullable(),
  /** Last successful usage sync: how fresh this account's cost data is. */
  lastSuccessAt: z.string().nullable(),
  streams: z.array(streamStatusSchema),
});
export type Account = z.infer<typeof accountSchema>;

export const accountListSchema = z.object({ items: z.array(accountSchema) });
export type AccountList = z.infer<typeof accountListSchema>;

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM');

/** The fields of a connection, without defaults (a PATCH must not reset what it does not name). */
const connectionFields = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'must be 2–40 lowercase letters, digits or dashes'),
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  cloud: z.enum(CLOUDS, { message: `must be one of: ${CLOUDS.join(', ')}` }),
  tenantId: z.string().trim().min(1, 'is required').max(64, 'must be at most 64 characters'),
  appId: z.string().trim().min(1, 'is required').max(64, 'must be at most 64 characters'),
  secret: z.string().min(1, 'is required').max(1000, 'must be at most 1000 characters'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  sandbox: z.boolean({ message: 'must be true or false' }),
  /** Overrides of the cloud's endpoints (private links, the simulator). */
  apiBaseUrl: httpUrl.optional(),
  tokenUrl: httpUrl.optional(),
  tokenResource: z.string().min(1).max(500).optional(),
  /** Microsoft Graph billing export (global cloud): base (…/v1.0) and v2 token URL overrides. */
  graphBaseUrl: httpUrl.optional(),
  graphTokenUrl: httpUrl.optional(),
  /** auto: the read follows cloud and period (partner-center-api.md §5.4); graph or v1 force one. */
  usageApi: z.enum(USAGE_APIS, { message: `must be one of: ${USAGE_APIS.join(', ')}` }),
  syncIntervalMinutes: z.number().int('must be whole minutes').min(5, 'must be at least 5').max(1440, 'must be at most 1440'),
  enabled: z.boolean({ message: 'must be true or false' }),
};

/** Connecting a Partner Center account. The secret goes in, is sealed, and never comes back out. */
export const accountConnectionSchema = z.strictObject({
  ...connectionFields,
  sandbox: connectionFields.sandbox.default(false),
  usageApi: connectionFields.usageApi.default('auto'),
  syncIntervalMinutes: connectionFields.syncIntervalMinutes.default(60),
  enabled: connectionFields.enabled.default(true),
});
export type AccountConnection = z.output<typeof accountConnectionSchema>;

/** Changing a connection: any field but the id; a new secret replaces the old one. */
export const accountUpdateSchema = z.strictObject(connectionFields).omit({ id: true }).partial();
export type AccountUpdate = z.output<typeof accountUpdateSchema>;

/** "Test connection" before (or after) saving: a token, then one page of customers. */
export const connectionTestSchema = accountConnectionSchema.omit({ id: true, syncIntervalMinutes: true, enabled: true, sandbox: true });
export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  /** Time to sign in and read the first page of customers. */
  elapsedMs: z.number().int(),
  customersOnFirstPage: z.number().int().nullable(),
  /** What went wrong, never with the secret in it. */
  error: z.string().nullable(),
  /** Each check on its own: which of the two credentials' permissions is missing. */
  partnerCenter: z.object({ ok: z.boolean(), error: z.string().nullable() }),
  /** The Graph token and PartnerBilling.Read.All, for accounts that read usage through Graph; null otherwise. */
  graph: z.object({ ok: z.boolean(), error: z.string().nullable() }).nullable(),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;

export const backfillRequestSchema = z
  .strictObject({ from: month, to: month })
  .refine((b) => b.from <= b.to, { path: ['to'], message: 'must not be before from' });
export type BackfillRequest = z.output<typeof backfillRequestSchema>;
export const syncJobsResponseSchema = z.object({ jobs: z.array(z.object({ jobId: z.string(), queued: z.boolean() })) });
export type SyncJobsResponse = z.infer<typeof syncJobsResponseSchema>;
