import { z } from 'zod';
import { CLOUDS } from './clouds';

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
  /** The latest run of any stream (with live progress while it runs). */
  lastSync: syncRunSchema.nullable(),
  /** Last successful usage sync: how fresh this account's cost data is. */
  lastSuccessAt: z.string().nullable(),
  streams: z.array(streamStatusSchema),
});
export type Account = z.infer<typeof accountSchema>;

export const accountListSchema = z.object({ items: z.array(accountSchema) });
export type AccountList = z.infer<typeof accountListSchema>;
