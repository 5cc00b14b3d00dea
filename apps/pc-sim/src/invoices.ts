/**
 * Invoices, billed usage, billing line items and the account balance (partner-center-api.md §5.2,
 * §6, §7), derived from the same usage generator as unbilled usage and from the simulation clock:
 *
 * - Month close: the invoice of month M is issued on day INVOICE_DAY of month M+1 (00:00 UTC).
 *   From then on M's usage is also served as billed (`/v1/invoices/{id}/lineitems`); `period=previous`
 *   keeps serving M's unbilled estimates until the clock leaves month M+1 (a client must prefer the
 *   billed rows). Moving the clock (`POST /_sim/clock`) past that day closes M.
 * - History: invoices exist from HISTORY_MONTHS months before the month the simulator started in
 *   (its initial clock), up to the last closed month; moving the clock adds invoices, never removes
 *   any (the `scale` benchmark account has none: summing millions of items per month serves no test).
 * - Ids: `G` + 3-digit account code + YYYYMM (10 characters, like `G000123456`); a credit note adds
 *   a `9` after the `G`.
 * - Amounts: a billing line item per customer (its Azure plan) = that customer's billed usage of the
 *   month rounded to cents; the invoice total = the sum of its billing line items. One billing line
 *   is planted wrong (PLANTED_RECONCILIATION) so reconciliation has something real to find.
 * - Payment: closed months before the latest are paid in full, except one planted overdue invoice;
 *   the latest is unpaid or partly paid. `x-sim-dueDate` (not a Partner Center field) = issue + 30 days.
 * - Sandbox invoices say "DO NOT PAY - SANDBOX INVOICE" in `x-sim-note`.
 */
import type { SimContext } from './context';
import { dayOf, dayToIso, dayToYmd, monthKey, monthStart, nextMonthStart } from './dates';
import { strHash32 } from './hash';
import { Dec, decStr, ZERO } from './money';
import type { AccountModel } from './profile';

export const INVOICE_DAY = 8;
export const HISTORY_MONTHS = 12;
const DUE_DAYS = 30;

/** The planted reconciliation difference: account, months before the current one, amount. */
export const PLANTED_RECONCILIATION = { account: 'eu', monthsBack: 1, difference: '1.37' } as const;
/** The planted overdue invoice: account, months before the current one. */
export const PLANTED_OVERDUE = { account: 'usgov', monthsBack: 2 } as const;
/** The planted credit note: account, months back of the invoice it amends, amount. */
export const PLANTED_CREDIT_NOTE = { account: 'eu', monthsBack: 3, amount: '-25' } as const;

const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', CNY: '¥', GBP: '£' };

export interface CustomerBilling {
  customerId: string;
  /** Exact billed usage of the month (all items, as billed daily rated usage serves them). */
  usage: Dec;
  /** The billing line item's subtotal: usage rounded to cents (plus the planted difference, if any). */
  subtotal: Dec;
}

export interface InvoiceDoc {
  id: string;
  account: AccountModel;
  /** First day of the billed month (day number). */
  periodStart: number;
  periodEndExcl: number;
  issueDay: number;
  kind: 'invoice' | 'credit-note';
  total: Dec;
  paid: Dec;
  amends?: string;
  amendments: string[];
}

function monthsBefore(day: number, n: number): number {
  let m = monthStart(day);
  for (let i = 0; i < n; i++) m = monthStart(m - 1);
  return m;
}

export class InvoiceBook {
  private readonly billing = new Map<string, CustomerBilling[]>();

  /** First invoiced month (day number), fixed when the simulator starts. */
  private readonly historyStart: number;

  constructor(private readonly ctx: SimContext) {
    this.historyStart = monthsBefore(dayOf(ctx.clock()), HISTORY_MONTHS);
  }

  /** Has month `periodStart`'s invoice been issued at `today`? */
  static closed(periodStart: number, today: number): boolean {
    return today >= nextMonthStart(periodStart) + INVOICE_DAY - 1;
  }

  static hasHistory(acct: AccountModel): boolean {
    return acct.def.id !== 'scale';
  }

  invoiceId(acct: AccountModel, periodStart: number, creditNote = false): string {
    const code = String(strHash32(`invoice|${acct.def.id}`) % 1000).padStart(3, '0');
    return `G${creditNote ? '9' : ''}${code}${monthKey(periodStart)}`;
  }

  /** Per customer billing of one closed month, computed once from the generator. */
  customerBilling(acct: AccountModel, periodStart: number, today: number): CustomerBilling[] {
    const key = `${acct.def.id}|${periodStart}`;
    let rows = this.billing.get(key);
    if (!rows) {
      const byCustomer = new Map<string, Dec>();
      for (const it of this.ctx.generators.get(acct.def.id)!.items(periodStart, nextMonthStart(periodStart))) {
        const c = it.slot.ent.customer.id;
        byCustomer.set(c, (byCustomer.get(c) ?? ZERO).plus(it.billingTotal));
      }
      const planted = acct.def.id === PLANTED_RECONCILIATION.account && periodStart === monthsBefore(today, PLANTED_RECONCILIATION.monthsBack);
      rows = [...byCustomer.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([customerId, usage], i) => {
          const subtotal = usage.toDecimalPlaces(2, Dec.ROUND_HALF_UP).plus(planted && i === 0 ? new Dec(PLANTED_RECONCILIATION.difference) : ZERO);
          return { customerId, usage, subtotal };
        });
      this.billing.set(key, rows);
    }
    return rows;
  }

  /** Every invoice and credit note of the account issued by `today`, newest first. */
  documents(acct: AccountModel, today: number): InvoiceDoc[] {
    if (!InvoiceBook.hasHistory(acct)) return [];
    const docs: InvoiceDoc[] = [];
    const current = monthStart(today);
    for (let periodStart = this.historyStart; InvoiceBook.closed(periodStart, today); periodStart = nextMonthStart(periodStart)) {
      const total = this.customerBilling(acct, periodStart, today).reduce((s, r) => s.plus(r.subtotal), ZERO);
      docs.push({
        id: this.invoiceId(acct, periodStart),
        account: acct,
        periodStart,
        periodEndExcl: nextMonthStart(periodStart),
        issueDay: nextMonthStart(periodStart) + INVOICE_DAY - 1,
        kind: 'invoice',
        total,
        paid: ZERO,
        amendments: [],
      });
    }
    // Payments: all but the latest paid, except the planted overdue one; the latest unpaid or half paid.
    docs.forEach((d, i) => {
      const latest = i === docs.length - 1;
      const overdue = acct.def.id === PLANTED_OVERDUE.account && d.periodStart === monthsBefore(current, PLANTED_OVERDUE.monthsBack);
      if (latest) d.paid = strHash32(`paid|${acct.def.id}|${d.periodStart}`) % 2 === 0 ? d.total.div(2).toDecimalPlaces(2, Dec.ROUND_DOWN) : ZERO;
      else d.paid = overdue ? ZERO : d.total;
    });
    if (acct.def.id === PLANTED_CREDIT_NOTE.account) {
      const amended = docs.find((d) => d.periodStart === monthsBefore(current, PLANTED_CREDIT_NOTE.monthsBack));
      if (amended) {
        const note: InvoiceDoc = {
          id: this.invoiceId(acct, amended.periodStart, true),
          account: acct,
          periodStart: amended.periodStart,
          periodEndExcl: amended.periodEndExcl,
          issueDay: amended.issueDay + 10,
          kind: 'credit-note',
          total: new Dec(PLANTED_CREDIT_NOTE.amount),
          paid: ZERO,
          amends: amended.id,
          amendments: [],
        };
        if (note.issueDay <= today) {
          amended.amendments.push(note.id);
          docs.push(note);
        }
      }
    }
    return docs.sort((a, b) => b.issueDay - a.issueDay || (a.id < b.id ? 1 : -1));
  }

  find(acct: AccountModel, id: string, today: number): InvoiceDoc | undefined {
    return this.documents(acct, today).find((d) => d.id.toLowerCase() === id.toLowerCase());
  }

  /** Invoice JSON (§6). `withPdf`: only the by-id read fills pdfDownloadLink. */
  toJson(d: InvoiceDoc, withPdf: boolean): string {
    const cur = d.account.def.currency;
    const detail = (type: string, path: string) =>
      `{"invoiceLineItemType":"${type}","billingProvider":"one_time","links":{"self":{"uri":"/invoices/${d.id}/lineitems/OneTime/${path}","method":"GET","headers":[]}},"attributes":{"objectType":"InvoiceDetail"}}`;
    const details = d.kind === 'invoice' ? [detail('billing_line_items', 'BillingLineItems'), detail('usage_line_items', 'UsageLineItems')] : [detail('billing_line_items', 'BillingLineItems')];
    const pdf = withPdf ? `${this.ctx.publicUrl}/pc/${d.account.def.id}/v1/invoices/${d.id}/documents/statement?expires=1800` : '';
    return (
      `{"id":"${d.id}","invoiceDate":"${dayToIso(d.issueDay)}","billingPeriodStartDate":"${dayToIso(d.periodStart)}"` +
      `,"billingPeriodEndDate":"${dayToIso(d.periodEndExcl - 1)}","totalCharges":${decStr(d.total)},"paidAmount":${decStr(d.paid)}` +
      `,"currencyCode":"${cur}","currencySymbol":${JSON.stringify(SYMBOLS[cur] ?? cur)},"pdfDownloadLink":${JSON.stringify(pdf)}` +
      `,"documentType":"${d.kind === 'invoice' ? 'Invoice' : 'Credit Note'}","invoiceType":"Recurring","amendsOf":${d.amends ? `"${d.amends}"` : 'null'}` +
      `,"amendments":${JSON.stringify(d.amendments)},"invoiceDetails":[${details.join(',')}]` +
      `,"x-sim-dueDate":"${dayToIso(d.issueDay + DUE_DAYS)}"` +
      (d.account.def.sandbox ? `,"x-sim-note":"DO NOT PAY - SANDBOX INVOICE"` : '') +
      `,"attributes":{"objectType":"Invoice"}}`
    );
  }

  /** Billing line items of an invoice (§6): one per customer's Azure plan. */
  billingLineItems(d: InvoiceDoc, today: number): unknown[] {
    if (d.kind !== 'invoice') return [];
    return this.customerBilling(d.account, d.periodStart, today).map((b) => this.billingLine(d.account, b.customerId, d.periodStart, d.periodEndExcl, d.id, b.subtotal));
  }

  /**
   * Unbilled billing line items (§6, estimates): one per customer with usage in the period so far,
   * subtotal = its usage of days [periodStart, toDayExcl) rounded to cents, invoiceNumber "".
   */
  unbilledBillingLineItems(acct: AccountModel, periodStart: number, toDayExcl: number): unknown[] {
    const byCustomer = new Map<string, Dec>();
    for (const it of this.ctx.generators.get(acct.def.id)!.items(periodStart, toDayExcl)) {
      const c = it.slot.ent.customer.id;
      byCustomer.set(c, (byCustomer.get(c) ?? ZERO).plus(it.billingTotal));
    }
    return [...byCustomer.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([c, usage]) => this.billingLine(acct, c, periodStart, nextMonthStart(periodStart), '', usage.toDecimalPlaces(2, Dec.ROUND_HALF_UP)));
  }

  private billingLine(acct: AccountModel, customerId: string, periodStart: number, periodEndExcl: number, invoiceId: string, subtotal: Dec): unknown {
    const gen = this.ctx.generators.get(acct.def.id)!;
    const fx = gen.month(periodStart);
    const c = acct.customersById.get(customerId.toLowerCase())!;
    const amount = Number(subtotal.toFixed(2));
    return {
      partnerId: acct.tenantId,
      customerId: c.id,
      customerName: c.companyName,
      customerDomainName: c.domain,
      customerCountry: c.country.country,
      invoiceNumber: invoiceId,
      mpnId: acct.mpnId,
      resellerMpnId: '',
      orderId: `O${monthKey(periodStart)}${c.id.slice(0, 8)}`,
      orderDate: dayToIso(periodStart),
      productId: 'DZH318Z0BCZC',
      skuId: '0001',
      availabilityId: 'DZH318Z0BXWC',
      productName: 'Azure plan',
      skuName: 'Azure plan',
      chargeType: 'usage',
      unitPrice: amount,
      effectiveUnitPrice: amount,
      unitType: '',
      quantity: 1,
      billableQuantity: 1,
      subtotal: amount,
      taxTotal: 0,
      totalForCustomer: amount,
      currency: acct.def.currency,
      publisherName: 'Microsoft',
      publisherId: '',
      subscriptionDescription: 'Azure plan',
      subscriptionId: c.plan.id,
      chargeStartDate: dayToIso(periodStart),
      chargeEndDate: dayToIso(periodEndExcl),
      termAndBillingCycle: '',
      billingFrequency: '',
      alternateId: invoiceId ? `${invoiceId}-${c.id.slice(0, 8)}` : `U${monthKey(periodStart)}-${c.id.slice(0, 8)}`,
      priceAdjustmentDescription: '',
      discountDetails: '',
      pricingCurrency: acct.def.pricingCurrency,
      pcToBCExchangeRate: Number(fx.rateStr),
      pcToBCExchangeRateDate: fx.startIso,
      meterDescription: '',
      reservationOrderId: '',
      creditReasonCode: '',
      subscriptionStartDate: dayToIso(periodStart),
      subscriptionEndDate: dayToIso(periodEndExcl),
      referenceId: '',
      productQualifiers: [],
      promotionId: '',
      productCategory: 'Azure',
      attributes: { objectType: 'OneTimeInvoiceLineItem' },
    };
  }

  /** The account balance (§7): unpaid totals; one summary per currency (one currency per account here). */
  summaryJson(acct: AccountModel, today: number): unknown {
    const docs = this.documents(acct, today);
    const balance = docs.reduce((s, d) => s.plus(d.total.minus(d.paid)), ZERO);
    const paid = docs.filter((d) => d.paid.gt(0));
    const cur = acct.def.currency;
    return {
      balanceAmount: Number(decStr(balance)),
      currencyCode: cur,
      currencySymbol: SYMBOLS[cur] ?? cur,
      accountingDate: dayToIso(today),
      firstInvoiceCreationDate: docs.length ? dayToIso(docs[docs.length - 1].issueDay) : null,
      lastPaymentDate: paid.length ? dayToIso(paid[0].issueDay + 5) : null,
      lastPaymentAmount: paid.length ? -Number(decStr(paid[0].paid)) : 0,
      latestInvoiceDate: docs.length ? dayToIso(docs[0].issueDay) : null,
      details: [
        { invoiceType: 'recurring', summary: { balanceAmount: Number(decStr(balance)) } },
        { invoiceType: 'one_time', summary: { balanceAmount: 0 } },
      ],
      attributes: { objectType: 'InvoiceSummary' },
    };
  }

  /** What the control API reports as planted (reconciliation differences). */
  planted(today: number): { reconciliation: unknown[]; overdue: unknown[]; creditNotes: unknown[] } {
    const out = { reconciliation: [] as unknown[], overdue: [] as unknown[], creditNotes: [] as unknown[] };
    const current = monthStart(today);
    const rec = this.ctx.byId.get(PLANTED_RECONCILIATION.account);
    if (rec) {
      const periodStart = monthsBefore(current, PLANTED_RECONCILIATION.monthsBack);
      if (InvoiceBook.closed(periodStart, today)) {
        const b = this.customerBilling(rec, periodStart, today)[0];
        out.reconciliation.push({
          account: rec.def.id,
          invoiceId: this.invoiceId(rec, periodStart),
          period: dayToYmd(periodStart).slice(0, 7),
          customerId: b.customerId,
          billedUsage: decStr(b.usage),
          billingLineSubtotal: decStr(b.subtotal),
          difference: PLANTED_RECONCILIATION.difference,
        });
      }
    }
    const od = this.ctx.byId.get(PLANTED_OVERDUE.account);
    if (od) {
      const periodStart = monthsBefore(current, PLANTED_OVERDUE.monthsBack);
      if (InvoiceBook.closed(periodStart, today)) out.overdue.push({ account: od.def.id, invoiceId: this.invoiceId(od, periodStart) });
    }
    const cn = this.ctx.byId.get(PLANTED_CREDIT_NOTE.account);
    if (cn) {
      const periodStart = monthsBefore(current, PLANTED_CREDIT_NOTE.monthsBack);
      const doc = this.find(cn, this.invoiceId(cn, periodStart, true), today);
      if (doc) out.creditNotes.push({ account: cn.def.id, invoiceId: doc.id, amendsOf: doc.amends, amount: PLANTED_CREDIT_NOTE.amount });
    }
    return out;
  }
}
