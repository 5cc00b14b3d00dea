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

/** A connected Partner Center account as the API shows it: never any credential. */
export const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  cloud: z.enum(CLOUDS),
  tenantId: z.string(),
  currency: z.string().length(3),
  sandbox: z.boolean(),
  enabled: z.boolean(),
  lastSync: syncRunSchema.nullable(),
  lastSuccessAt: z.string().nullable(),
});
export type Account = z.infer<typeof accountSchema>;

export const accountListSchema = z.object({ items: z.array(accountSchema) });
export type AccountList = z.infer<typeof accountListSchema>;
