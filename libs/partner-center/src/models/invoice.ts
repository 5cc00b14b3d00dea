/** Invoices, credit notes and the account balance (partner-center-api.md §6–7). */
import { z } from 'zod';
import { decimalString, id, isoDateTime, objectType, text } from './common';

/** Money fields of invoices and summaries: parsed exactly (exact-json.ts). */
export const INVOICE_DECIMAL_KEYS = ['totalCharges', 'paidAmount', 'balanceAmount', 'lastPaymentAmount'] as const;

const invoiceDetailSchema = z.object({
  invoiceLineItemType: text,
  billingProvider: text,
});

export const invoiceSchema = z.object({
  id,
  invoiceDate: isoDateTime,
  billingPeriodStartDate: isoDateTime,
  billingPeriodEndDate: isoDateTime,
  totalCharges: decimalString,
  /** Documented as negative when paid, positive in samples: Meridian compares magnitudes. */
  paidAmount: decimalString.nullish(),
  currencyCode: z.string().regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 currency code'),
  currencySymbol: text,
  pdfDownloadLink: text,
  /** `Invoice` or `Credit Note`. */
  documentType: text,
  /** `recurring` / `one_time`, casing varies. */
  invoiceType: text,
  amendsOf: z.string().nullish(),
  amendments: z.array(z.unknown()).nullish(),
  invoiceDetails: z.array(invoiceDetailSchema).nullish().transform((v) => v ?? []),
  /**
   * Not part of Partner Center (no invoice carries a due date, §7): the simulator adds it so
   * "overdue" can be shown; kept when present, never required.
   */
  'x-sim-dueDate': isoDateTime.nullish(),
  attributes: objectType('Invoice'),
});
export type Invoice = z.output<typeof invoiceSchema>;

export const invoiceSummarySchema = z.object({
  balanceAmount: decimalString,
  currencyCode: z.string().regex(/^[A-Za-z]{3}$/),
  accountingDate: isoDateTime.nullish(),
  lastPaymentDate: isoDateTime.nullish(),
  lastPaymentAmount: decimalString.nullish(),
  latestInvoiceDate: isoDateTime.nullish(),
  attributes: objectType('InvoiceSummary'),
});
export type InvoiceSummary = z.output<typeof invoiceSummarySchema>;

/** Does the invoice carry Azure plan daily rated usage (billed usage to read, §5.2)? */
export function hasUsageLineItems(invoice: Invoice): boolean {
  return invoice.invoiceDetails.some((d) => d.invoiceLineItemType.toLowerCase() === 'usage_line_items' && d.billingProvider.toLowerCase() === 'one_time');
}
