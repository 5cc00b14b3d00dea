/** Azure utilization record of a legacy Azure subscription (partner-center-api.md §5.5). */
import { z } from 'zod';
import { decimalString, id, isoDateTime, objectType, text } from './common';

export const UTILIZATION_DECIMAL_KEYS = ['quantity'] as const;

export const utilizationRecordSchema = z.object({
  /** The window the usage was reported to billing in, not when it was consumed. */
  usageStartTime: isoDateTime,
  usageEndTime: isoDateTime,
  resource: z.object({
    /** = rate-card meter id. */
    id,
    name: text,
    category: text,
    subcategory: text,
    region: text,
  }),
  quantity: decimalString.refine((q) => !q.startsWith('-'), 'expected a non-negative quantity'),
  unit: text,
  infoFields: z.record(z.string(), z.unknown()).nullish(),
  instanceData: z
    .object({
      resourceUri: text,
      location: text,
      partNumber: text,
      orderNumber: text,
      tags: z.record(z.string(), z.unknown()).nullish(),
      additionalInfo: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
  attributes: objectType('AzureUtilizationRecord'),
});
export type UtilizationRecord = z.infer<typeof utilizationRecordSchema>;
