import { z } from 'zod';

/**
 * Where conversion rates come from, in an organisation's order of precedence: `manual` (entered in
 * the UI/API), `microsoft` (the pcToBCExchangeRate on Partner Center's own line items), `ecb-csv`
 * (the ECB reference-rate import). The first source that gives a factor on its own wins; when none
 * is set, this order (libs/finops DEFAULT_RATE_SOURCE_ORDER, which conversions use).
 */
export const RATE_SOURCES = ['manual', 'microsoft', 'ecb-csv'] as const;
export type RateSource = (typeof RATE_SOURCES)[number];

export const orgSettingsSchema = z.object({
  /** Consolidated views open in this currency; null = one figure (and one chart) per currency. */
  reportingCurrency: z.string().nullable(),
  rateSources: z.array(z.enum(RATE_SOURCES)),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type OrgSettings = z.infer<typeof orgSettingsSchema>;

export const orgSettingsWriteSchema = z.strictObject({
  reportingCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR, or null for none')
    .nullable()
    .optional(),
  rateSources: z
    .array(z.enum(RATE_SOURCES, { message: `must be one of: ${RATE_SOURCES.join(', ')}` }))
    .min(1, 'must list at least one source')
    .refine((s) => new Set(s).size === s.length, 'must not repeat a source')
    .optional(),
});
export type OrgSettingsWrite = z.output<typeof orgSettingsWriteSchema>;
