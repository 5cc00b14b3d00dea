import { DataSource, In, IsNull, Not, Repository } from 'typeorm';
import { DataSourceReader, StoreReader } from '../sqlite-read-pool';
import { AccessScope } from '../access-scope';
import { InvoiceEntity, InvoiceLineItemEntity } from '../entities/invoice.entity';
import { normalizeDecimal, sumDecimals, toDecimal } from '@meridian/finops';
import { dialectOf, placeholders, SqlDialect } from './sql-dialect';
import { WriteLock } from './write-lock';

/** Columns Partner Center owns; Meridian's own checkpoint columns are never overwritten by a re-sync. */
const PARTNER_CENTER_COLUMNS = [
  'invoice_date',
  'billing_period_start',
  'billing_period_end',
  'total_charges',
  'paid_amount',
  'currency',
  'document_type',
  'invoice_type',
  'amends_of',
  'due_date',
  'has_usage',
  'x_sync_run_id',
] as const;

export type InvoiceInput = Omit<InvoiceEntity, 'billedUsageSyncedAt' | 'billedUsageRows' | 'billingLinesSyncedAt'>;

/** One customer's line of an invoice reconciliation: what was invoiced against the billed usage. */
export interface ReconciliationRow {
  customerId: string;
  customerName: string;
  invoiced: string;
  usage: string;
  difference: string;
}

export class InvoiceRepository {
  private readonly repo: Repository<InvoiceEntity>;
  private readonly dialect: SqlDialect;

  constructor(
    private readonly ds: DataSource,
    private readonly writeLock: WriteLock,
    /** Where the reconciliation's scan of the invoice's line items runs (off the event loop on an SQLite file). */
    private readonly reads: StoreReader = new DataSourceReader(ds),
  ) {
    this.repo = ds.getRepository(InvoiceEntity);
    this.dialect = dialectOf(ds);
  }

  /** Inserts or refreshes invoices (payment status changes); keeps the billed-usage checkpoint. */
  async upsert(rows: readonly InvoiceInput[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = ['account_id', 'id', ...PARTNER_CENTER_COLUMNS];
    const props: (keyof InvoiceInput)[] = [
      'accountId', 'id', 'invoiceDate', 'billingPeriodStart', 'billingPeriodEnd', 'totalCharges', 'paidAmount', 'currency',
      'documentType', 'invoiceType', 'amendsOf', 'dueDate', 'hasUsage', 'syncRunId',
    ];
    const params: unknown[] = [];
    const values = rows.map((r, i) => {
      for (const p of props) params.push(p === 'hasUsage' && this.dialect.name === 'sqlite' ? (r[p] ? 1 : 0) : r[p]);
      return `(${placeholders(this.dialect, columns.length, i * columns.length)})`;
    });
    const updates = PARTNER_CENTER_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ');
    await this.ds.query(`INSERT INTO invoice (${columns.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT (account_id, id) DO UPDATE SET ${updates}`, params);
  }

  async list(scope: AccessScope, accountIds?: readonly string[]): Promise<InvoiceEntity[]> {
    const ids = (accountIds ?? scope.ids())?.filter((id) => scope.allows(id));
    if (ids && ids.length === 0) return [];
    return this.repo.find({ where: ids ? { accountId: In(ids) } : {}, order: { invoiceDate: 'DESC', accountId: 'ASC', id: 'ASC' } });
  }

  /** One invoice, or null when absent or outside the scope (callers answer 404). */
  async get(scope: AccessScope, accountId: string, id: string): Promise<InvoiceEntity | null> {
    if (!scope.allows(accountId)) return null;
    return this.repo.findOneBy({ accountId, id });
  }

  /** Invoices whose billed usage has not replaced the unbilled estimates yet, oldest first. */
  async awaitingBilledUsage(accountId: string, periods?: { from: string; to: string }): Promise<InvoiceEntity[]> {
    const rows = await this.repo.find({ where: { accountId, hasUsage: true, billedUsageSyncedAt: IsNull() }, order: { billingPeriodStart: 'ASC', id: 'ASC' } });
    return rows.filter((r) => !periods || (r.billingPeriodStart >= periods.from && r.billingPeriodStart <= periods.to));
  }

  async inPeriods(accountId: string, periods: { from: string; to: string }): Promise<InvoiceEntity[]> {
    const rows = await this.repo.find({ where: { accountId, hasUsage: true }, order: { billingPeriodStart: 'ASC', id: 'ASC' } });
    return rows.filter((r) => r.billingPeriodStart >= periods.from && r.billingPeriodStart <= periods.to);
  }

  async markBilledUsageSynced(accountId: string, id: string, rows: number): Promise<void> {
    await this.repo.update({ accountId, id }, { billedUsageSyncedAt: new Date().toISOString(), billedUsageRows: rows });
  }

  /** Replaces an invoice's billing line items (one transaction) and sets its checkpoint. */
  async replaceBillingLines(accountId: string, invoiceId: string, lines: InvoiceLineItemEntity[]): Promise<void> {
    await this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        await em.getRepository(InvoiceLineItemEntity).delete({ accountId, invoiceId });
        for (let i = 0; i < lines.length; i += 500) await em.getRepository(InvoiceLineItemEntity).insert(lines.slice(i, i + 500));
        await em.getRepository(InvoiceEntity).update({ accountId, id: invoiceId }, { billingLinesSyncedAt: new Date().toISOString() });
      }),
    );
  }

  async awaitingBillingLines(accountId: string): Promise<InvoiceEntity[]> {
    return this.repo.find({ where: { accountId, billingLinesSyncedAt: IsNull() }, order: { billingPeriodStart: 'ASC', id: 'ASC' } });
  }

  /**
   * Per customer: the invoice's billing line items (subtotal, what Microsoft bills) against the
   * billed daily rated usage stored for the same invoice. Exact sums; the caller judges differences.
   */
  async reconcile(accountId: string, invoiceId: string): Promise<ReconciliationRow[]> {
    const p = (n: number) => this.dialect.param(n);
    const lines = await this.ds.getRepository(InvoiceLineItemEntity).find({ where: { accountId, invoiceId }, select: { customerId: true, customerName: true, subtotal: true } });
    const usage = await this.reads.query<{ c: string; name: string; parts: string | null }>(
      `SELECT x_customer_id AS c, max(x_customer_name) AS name, ${this.dialect.exactSumParts('billed_cost')} AS parts FROM cost_line_item ` +
        `WHERE billing_account_id = ${p(1)} AND invoice_id = ${p(2)} AND x_source = 'billed' GROUP BY x_customer_id`,
      [accountId, invoiceId],
      { exactSumColumns: ['parts'] },
    );
    const rows = new Map<string, { name: string; invoiced: string[]; usage: string[] }>();
    const row = (id: string, name: string) => rows.get(id) ?? rows.set(id, { name, invoiced: [], usage: [] }).get(id)!;
    for (const l of lines) row(l.customerId, l.customerName).invoiced.push(String(l.subtotal));
    for (const u of usage) row(u.c, u.name).usage.push(...(u.parts ?? '').split(',').filter(Boolean));
    return [...rows.entries()]
      .map(([customerId, r]) => {
        const invoiced = sumDecimals(r.invoiced);
        const used = sumDecimals(r.usage);
        return { customerId, customerName: r.name, invoiced, usage: used, difference: normalizeDecimal(toDecimal(invoiced).minus(toDecimal(used))) };
      })
      .sort((a, b) => toDecimal(b.difference).abs().comparedTo(toDecimal(a.difference).abs()) || a.customerId.localeCompare(b.customerId));
  }

  /** Billing periods (YYYY-MM-DD) already final: unbilled estimates of them must not come back. */
  async billedPeriods(accountId: string): Promise<Set<string>> {
    const rows = await this.repo.find({ where: { accountId, billedUsageSyncedAt: Not(IsNull()) }, select: { billingPeriodStart: true } });
    return new Set(rows.map((r) => r.billingPeriodStart));
  }
}
