import type { PaymentStatus } from '@meridian/contracts';
import { toDecimal } from '@meridian/finops';

/**
 * Payment status from what Partner Center gives (§7): the total and the paid amount — whose sign
 * differs between documentation and samples, so its magnitude counts — and a due date when one is
 * known (the simulator's x-sim-dueDate; real invoices have none, so they are never "overdue").
 */
export function paymentStatus(invoice: { documentType: string; totalCharges: string; paidAmount: string | null; dueDate: string | null }, today: string): PaymentStatus {
  if (invoice.documentType.toLowerCase().includes('credit')) return 'credit';
  const total = toDecimal(invoice.totalCharges);
  const paid = toDecimal(invoice.paidAmount ?? '0').abs();
  if (total.lte(0) || paid.gte(total)) return 'paid';
  if (invoice.dueDate && invoice.dueDate < today) return 'overdue';
  return paid.gt(0) ? 'partly-paid' : 'unpaid';
}
