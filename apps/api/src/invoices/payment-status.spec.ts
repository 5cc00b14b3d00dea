import { paymentStatus } from './payment-status';

describe('payment status', () => {
  const inv = (totalCharges: string, paidAmount: string | null, dueDate: string | null = null, documentType = 'Invoice') => ({ totalCharges, paidAmount, dueDate, documentType });
  it.each([
    ['paid in full (positive, as in samples)', inv('100.5', '100.5'), 'paid'],
    ['paid in full (negative, as documented)', inv('100.5', '-100.5'), 'paid'],
    ['partly paid', inv('100.5', '50'), 'partly-paid'],
    ['unpaid', inv('100.5', '0'), 'unpaid'],
    ['unpaid with no paid amount', inv('100.5', null), 'unpaid'],
    ['unpaid and past due', inv('100.5', '0', '2026-11-01'), 'overdue'],
    ['partly paid and past due', inv('100.5', '1', '2026-11-24'), 'overdue'],
    ['due today is not overdue', inv('100.5', '0', '2026-11-25'), 'unpaid'],
    ['a zero invoice', inv('0', '0', '2026-01-01'), 'paid'],
    ['a credit note', inv('-25', '0', null, 'Credit Note'), 'credit'],
  ] as const)('%s', (_name, invoice, status) => {
    expect(paymentStatus(invoice, '2026-11-25')).toBe(status);
  });
});
