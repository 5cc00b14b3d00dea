import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Invoice, InvoiceList, InvoicesQuery, Reconciliation } from '@meridian/contracts';
import { normalizeDecimal, sumDecimals, toDecimal } from '@meridian/finops';
import { AccessScope, AccountEntity, InvoiceEntity, Store } from '@meridian/store';
import { apiToday } from '../common/clock';
import { paymentStatus } from './payment-status';

/** Billing lines are in cents, usage is not: per customer, up to half a cent is rounding. */
const TOLERANCE = '0.005';

/** Invoices with payment status, and their reconciliation against billed usage (DESIGN §7). */
@Injectable()
export class InvoicesService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async list(scope: AccessScope, q: InvoicesQuery): Promise<InvoiceList> {
    // Customer-scoped grants never see the partner's invoices: they are not a customer's business.
    const effective = scope.narrow(q.accountIds);
    const accounts = (await this.store.accounts.list(effective)).filter((a) => (q.includeSandbox || !a.sandbox) && !effective.customersOf(a.id));
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const rows = await this.store.invoices.list(effective, accounts.map((a) => a.id));
    const today = apiToday();
    const items = rows.map((r) => this.toInvoice(r, byId.get(r.accountId)!, today));
    return { items: q.status ? items.filter((i) => i.status === q.status) : items };
  }

  async reconciliation(scope: AccessScope, accountId: string, invoiceId: string): Promise<Reconciliation> {
    const account = await this.store.accounts.get(scope, accountId);
    const invoice = account && !scope.customersOf(accountId) ? await this.store.invoices.get(scope, accountId, invoiceId) : null;
    if (!account || !invoice) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `invoice ${invoiceId} not found` });
    const rows = (await this.store.invoices.reconcile(accountId, invoiceId)).map((r) => ({
      ...r,
      status: toDecimal(r.difference).abs().lte(toDecimal(TOLERANCE)) ? ('ok' as const) : ('mismatch' as const),
    }));
    const invoiced = sumDecimals(rows.map((r) => r.invoiced));
    const usage = sumDecimals(rows.map((r) => r.usage));
    return {
      invoice: this.toInvoice(invoice, account, apiToday()),
      tolerance: TOLERANCE,
      rows,
      totals: { invoiced, usage, difference: normalizeDecimal(toDecimal(invoiced).minus(toDecimal(usage))) },
      mismatches: rows.filter((r) => r.status === 'mismatch').length,
    };
  }

  private toInvoice(r: InvoiceEntity, account: AccountEntity, today: string): Invoice {
    const paid = normalizeDecimal(toDecimal(r.paidAmount ?? '0').abs());
    return {
      accountId: r.accountId,
      accountName: account.name,
      id: r.id,
      documentType: r.documentType,
      invoiceDate: r.invoiceDate,
      periodStart: r.billingPeriodStart,
      periodEnd: r.billingPeriodEnd,
      currency: r.currency,
      total: normalizeDecimal(String(r.totalCharges)),
      paid,
      balance: normalizeDecimal(toDecimal(String(r.totalCharges)).minus(toDecimal(paid))),
      status: paymentStatus({ ...r, totalCharges: String(r.totalCharges), paidAmount: r.paidAmount === null ? null : String(r.paidAmount) }, today),
      dueDate: r.dueDate,
      amendsOf: r.amendsOf,
      sandbox: account.sandbox,
      billedUsageSynced: r.billedUsageSyncedAt !== null,
    };
  }
}
