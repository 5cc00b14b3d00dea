import { createHash } from 'node:crypto';
import { hasUsageLineItems, type BillingLineItem, type Invoice, type InvalidRecord } from '@meridian/partner-center';
import { AccessScope, type InvoiceInput, type InvoiceLineItemEntity } from '@meridian/store';
import { forEachConcurrently } from '../usage/concurrently';
import { readPathFor } from '../usage/read-path';
import { syncBilledUsage } from './billed-usage';
import type { StreamContext, SyncStreamRunner } from './stream-context';

function day(value: string | null | undefined): string | null {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

/** Maps an invoice as Partner Center sends it to the store's row. */
export function toInvoiceRow(invoice: Invoice, accountId: string, runId: string): InvoiceInput | { reason: string } {
  const periodStart = day(invoice.billingPeriodStartDate);
  const periodEnd = day(invoice.billingPeriodEndDate);
  const invoiceDate = day(invoice.invoiceDate);
  if (!periodStart || !periodEnd || !invoiceDate) return { reason: 'invoiceDate / billingPeriodStartDate / billingPeriodEndDate: not ISO dates' };
  return {
    accountId,
    id: invoice.id,
    invoiceDate,
    billingPeriodStart: periodStart,
    billingPeriodEnd: periodEnd,
    totalCharges: invoice.totalCharges,
    paidAmount: invoice.paidAmount ?? null,
    currency: invoice.currencyCode.toUpperCase(),
    documentType: invoice.documentType || 'Invoice',
    invoiceType: invoice.invoiceType.toLowerCase(),
    amendsOf: invoice.amendsOf || null,
    dueDate: day(invoice['x-sim-dueDate']),
    hasUsage: hasUsageLineItems(invoice),
    syncRunId: runId,
  };
}

/** Line key of a billing line item: its alternateId, or a hash of what identifies it. */
function lineKey(line: BillingLineItem): string {
  if (line.alternateId && line.alternateId.length <= 64) return line.alternateId;
  return createHash('sha256').update([line.customerId, line.subscriptionId, line.orderId, line.productId, line.chargeType, line.chargeStartDate, line.subtotal].join('\u001f')).digest('base64url');
}

/** The store's row of one billing line item. */
function toLineRow(ctx: StreamContext, invoiceId: string, l: BillingLineItem): InvoiceLineItemEntity {
  return {
    accountId: ctx.accountId,
    invoiceId,
    lineKey: lineKey(l),
    customerId: l.customerId,
    customerName: l.customerName,
    subscriptionId: l.subscriptionId,
    productName: l.productName,
    chargeType: l.chargeType,
    subtotal: l.subtotal,
    taxTotal: l.taxTotal ?? null,
    totalForCustomer: l.totalForCustomer ?? null,
    currency: l.currency.toUpperCase(),
    syncRunId: ctx.runId,
  };
}

/**
 * Graph exports take minutes each at Microsoft (1–25 min observed): the reconciliation exports of
 * an account's unread invoices run a few at a time instead of one after another.
 */
const GRAPH_RECONCILIATION_CONCURRENCY = 4;

/**
 * Billing line items (the reconciliation file) of invoices not read yet: small, one line per
 * charge. Global-cloud periods from 2024-02 come from the Graph billed reconciliation export (§5.4).
 */
async function syncBillingLines(ctx: StreamContext): Promise<void> {
  const reads = (await ctx.store.invoices.awaitingBillingLines(ctx.accountId)).map((invoice) => ({
    invoice,
    path: readPathFor({ cloud: ctx.cloud, dataset: 'reconciliation-billed', periodStart: invoice.billingPeriodStart, usageApi: ctx.usageApi }),
  }));
  const viaGraph = reads.some((r) => r.path === 'graph');
  await forEachConcurrently(reads, viaGraph ? GRAPH_RECONCILIATION_CONCURRENCY : 1, async ({ invoice, path }) => {
    ctx.usedReadPath(path);
    const exportProgress = path === 'graph' ? ctx.startExportProgress() : undefined;
    const pages = exportProgress
      ? ctx.client.graphReconciliationExport({ kind: 'billed', invoiceId: invoice.id }, { onProgress: (p) => exportProgress.report(p) })
      : ctx.client.billingLineItems(invoice.id);
    const lines: InvoiceLineItemEntity[] = [];
    try {
      for await (const page of pages) {
        await ctx.quarantine(page.invalid);
        for (const l of page.items) lines.push(toLineRow(ctx, invoice.id, l));
        await ctx.pageDone(0);
      }
    } finally {
      exportProgress?.end();
    }
    await ctx.store.invoices.replaceBillingLines(ctx.accountId, invoice.id, lines);
  });
}

/** Stores every invoice of the account (offset paging); payment status changes are picked up each run. */
async function syncInvoiceList(ctx: StreamContext): Promise<void> {
  for await (const page of ctx.client.listInvoices()) {
    const rows: InvoiceInput[] = [];
    const invalid: InvalidRecord[] = [...page.invalid];
    for (const invoice of page.items) {
      const row = toInvoiceRow(invoice, ctx.accountId, ctx.runId);
      if ('reason' in row) invalid.push({ record: invoice, reason: row.reason });
      else rows.push(row);
    }
    await ctx.store.invoices.upsert(rows);
    await ctx.quarantine(invalid);
    await ctx.pageDone(0);
  }
}

/** First day of the month `months` before the month of `day` (YYYY-MM-DD). */
function monthsBefore(day: string, months: number): string {
  const d = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1 - months, 1));
  return d.toISOString().slice(0, 10);
}

/**
 * Scheduled: the invoice list, then the billed usage of the most recent invoiced periods not read
 * yet (older months are a backfill's job: on first connection an account may have years of
 * invoices). "Recent" is counted from the latest invoice, not from a clock: what matters is which
 * periods Partner Center has closed.
 */
export class InvoicesStream implements SyncStreamRunner {
  readonly stream = 'invoices' as const;

  async run(ctx: StreamContext): Promise<void> {
    await syncInvoiceList(ctx);
    await syncBillingLines(ctx);
    const latest = (await ctx.store.invoices.list(AccessScope.accounts([ctx.accountId]))).filter((i) => i.hasUsage).map((i) => i.billingPeriodStart).sort().pop();
    if (!latest) return;
    const from = monthsBefore(latest, ctx.billedUsageLookbackMonths - 1);
    const due = await ctx.store.invoices.awaitingBilledUsage(ctx.accountId, { from, to: latest });
    let done = 0;
    for (const invoice of due) {
      await syncBilledUsage(ctx, invoice);
      await ctx.unitsProgress(++done, due.length);
    }
  }
}

/**
 * Backfill of months from..to: reads the invoice list, then each invoice of those months whose
 * billed usage is not stored yet. The per-invoice checkpoint makes a restarted backfill resume
 * with the invoices it had not finished.
 */
export class BackfillStream implements SyncStreamRunner {
  readonly stream = 'backfill' as const;

  async run(ctx: StreamContext): Promise<void> {
    if (!ctx.range) throw new Error('backfill needs a range of months (from, to)');
    await syncInvoiceList(ctx);
    await syncBillingLines(ctx);
    const periods = { from: `${ctx.range.from}-01`, to: `${ctx.range.to}-31` };
    const all = await ctx.store.invoices.inPeriods(ctx.accountId, periods);
    const todo = all.filter((i) => !i.billedUsageSyncedAt);
    let done = all.length - todo.length;
    await ctx.unitsProgress(done, all.length);
    for (const invoice of todo) {
      await syncBilledUsage(ctx, invoice);
      await ctx.unitsProgress(++done, all.length);
    }
  }
}
