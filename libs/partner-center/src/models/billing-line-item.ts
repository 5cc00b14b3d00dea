/** New-commerce billing line items of an invoice: the reconciliation file (partner-center-api.md §6). */
import { z } from 'zod';
import { decimalString, objectType, text } from './common';

export const BILLING_LINE_ITEM_DECIMAL_KEYS = ['unitPrice', 'effectiveUnitPrice', 'quantity', 'billableQuantity', 'subtotal', 'taxTotal', 'totalForCustomer', 'pcToBCExchangeRate'] as const;

export const billingLineItemSchema = z.object({
  customerId: text,
  customerName: text,
  invoiceNumber: text,
  orderId: text,
  productId: text,
  productName: text,
  skuName: text,
  chargeType: text,
  subscriptionId: text,
  subscriptionDescription: text,
  subtotal: decimalString,
  taxTotal: decimalString.nullish(),
  totalForCustomer: decimalString.nullish(),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 currency code'),
  alternateId: text,
  chargeStartDate: text,
  chargeEndDate: text,
  attributes: objectType('OneTimeInvoiceLineItem'),
});
export type BillingLineItem = z.output<typeof billingLineItemSchema>;
