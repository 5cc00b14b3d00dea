import { z } from 'zod';
import { decimalString } from './costs';

/** Derived from total and paid amount (Partner Center has no status field, §7), and the due date when known. */
export const PAYMENT_STATUSES = ['paid', 'partly-paid', 'unpaid', 'overdue', 'credit'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const invoicesQuerySchema = z.strictObject({
  accountIds: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean))),
  status: z.enum(PAYMENT_STATUSES, { message: `must be one of: ${PAYMENT_STATUSES.join(', ')}` }).optional(),
  includeSandbox: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
});
export type InvoicesQuery = z.output<typeof invoicesQuerySchema>;

export const invoiceSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  id: z.string(),
  documentType: z.string(),
  invoiceDate: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  currency: z.string(),
  total: decimalString,
  paid: decimalString,
  /** total − paid (what is still owed). */
  balance: decimalString,
  status: z.enum(PAYMENT_STATUSES),
  dueDate: z.string().nullable(),
  amendsOf: z.string().nullable(),
  sandbox: z.boolean(),
  /** Its billed usage has replaced the period's estimates in Meridian. */
  billedUsageSynced: z.boolean(),
});
export type Invoice = z.infer<typeof invoiceSchema>;
export const invoiceListSchema = z.object({ items: z.array(invoiceSchema) });
export type InvoiceList = z.infer<typeof invoiceListSchema>;

export const reconciliationRowSchema = z.object({
  customerId: z.string(),
  customerName: z.string(),
  /** Sum of the invoice's billing line items for the customer. */
  invoiced: decimalString,
  /** Sum of the billed daily rated usage of the invoice for the customer. */
  usage: decimalString,
  difference: decimalString,
  /** ok: within the rounding tolerance; mismatch otherwise. */
  status: z.enum(['ok', 'mismatch']),
});
export const reconciliationSchema = z.object({
  invoice: invoiceSchema,
  /** Per customer, |difference| up to this is rounding (lines are in cents, usage is not). */
  tolerance: decimalString,
  rows: z.array(reconciliationRowSchema),
  totals: z.object({ invoiced: decimalString, usage: decimalString, difference: decimalString }),
  mismatches: z.number().int(),
});
export type Reconciliation = z.infer<typeof reconciliationSchema>;
