import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { COST_DIMENSIONS, type CostDimension, type ExportQuery, type FocusExportQuery, type LineItemPage, type LineItemsQuery } from '@meridian/contracts';
import { AccessScope, CostFilter, LineItemRow, Store, writeFocusExport } from '@meridian/store';
import { FOCUS_VERSION } from '@meridian/finops';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { decodeCursor, encodeCursor } from './line-item-cursor';

const LINE_ITEM_COLUMNS: (keyof LineItemRow)[] = [
  'day', 'accountId', 'cloud', 'customerId', 'customerName', 'subscriptionId', 'service', 'region', 'resourceGroup', 'meter',
  'chargeType', 'quantity', 'unit', 'amount', 'currency', 'invoiceId', 'source', 'resourceId',
];
// Small enough that what one page holds (rows, cells, the chunk in the socket) stays a few MB.
const EXPORT_PAGE = 1000;
// xlsx rows between two turns of the event loop: exceljs spends ~15–40 µs a row (~90 µs cold), so a
// whole page at once could hold the loop past 50 ms (issue 15).
const XLSX_ROWS_PER_TURN = 250;

function filterOf(q: Omit<LineItemsQuery, 'limit' | 'cursor'>): CostFilter {
  const where: Partial<Record<CostDimension, string[]>> = {};
  for (const d of COST_DIMENSIONS) if (q[d] !== undefined) where[d] = q[d];
  return { from: q.from, to: q.to, includeSandbox: q.includeSandbox, includeEstimated: q.includeEstimated, where, tagKey: q.tagKey };
}

function csvCell(value: string): string {
  // Quote what needs it; neutralise spreadsheet formulas in text cells (CSV injection).
  const safe = /^[=+\-@]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A table to export: a header, then rows page by page (never all in memory). */
interface Table {
  header: string[];
  /** Index of columns holding exact decimals (written as numbers in xlsx, as text in CSV). */
  numeric: Set<number>;
  pages(): AsyncGenerator<string[][]>;
}

/** Line items and exports under the caller's scope; exports stream and are audited (DESIGN §5, §7). */
@Injectable()
export class ExportsService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async lineItems(scope: AccessScope, q: LineItemsQuery): Promise<LineItemPage> {
    const after = decodeCursor(q.cursor);
    if (q.cursor && !after) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'Invalid query: cursor: not a cursor of this API', issues: [{ field: 'cursor', message: 'not a cursor of this API' }] });
    const items = await this.store.costs.lineItems(scope.narrow(q.accountIds), filterOf(q), { limit: q.limit + 1, after });
    const page = items.slice(0, q.limit);
    const last = page[page.length - 1];
    const pruned = (await this.store.costs.retention(scope.narrow(q.accountIds).ids())).filter((r) => q.from < `${r.prunedBefore}-01`);
    return {
      items: page,
      nextCursor: items.length > q.limit && last ? encodeCursor(last.accountId, last.key) : null,
      ...(pruned.length ? { pruned: pruned.map((r) => ({ accountId: r.accountId, rawLineItemsFrom: r.prunedBefore })) } : {}),
    };
  }

  async writeCsv(scope: AccessScope, q: ExportQuery, out: Writable, actor: { userId: string }): Promise<number> {
    const table = await this.table(scope, q);
    let rows = 0;
    await write(out, table.header.map(csvCell).join(',') + '\n');
    for await (const page of table.pages()) {
      await write(out, page.map((r) => r.map(csvCell).join(',')).join('\n') + '\n');
      rows += page.length;
    }
    await this.audit(actor, q, 'csv', rows);
    return rows;
  }

  async writeXlsx(scope: AccessScope, q: ExportQuery, out: Writable, actor: { userId: string }): Promise<number> {
    const table = await this.table(scope, q);
    // The streaming writer commits each row as it goes: memory does not grow with the export.
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet(q.kind === 'breakdown' ? 'Breakdown' : 'Line items');
    sheet.addRow(table.header).commit();
    let rows = 0;
    for await (const page of table.pages()) {
      for (let i = 0; i < page.length; i++) {
        if (i > 0 && i % XLSX_ROWS_PER_TURN === 0) await yieldToEventLoop();
        // Exact decimal text → an Excel number (Excel holds 15 significant digits; the CSV keeps every digit).
        sheet.addRow(page[i].map((v, c) => (table.numeric.has(c) && v !== '' ? Number(v) : v))).commit();
      }
      rows += page.length;
    }
    sheet.commit();
    await workbook.commit();
    await this.audit(actor, q, 'xlsx', rows);
    return rows;
  }

  /** The FOCUS Cost and Usage dataset (CSV or Parquet), streamed under the scope and audited. */
  async writeFocus(scope: AccessScope, q: FocusExportQuery, out: Writable, actor: { userId: string }): Promise<number> {
    const { rows } = await writeFocusExport(this.store, scope.narrow(q.accountIds), filterOf(q), out, { format: q.format });
    await this.store.audit.record({
      userId: actor.userId,
      action: 'export',
      details: { format: q.format, kind: 'focus', focusVersion: FOCUS_VERSION, from: q.from, to: q.to, accountIds: q.accountIds ?? null, includeSandbox: q.includeSandbox, includeEstimated: q.includeEstimated ?? false, rows },
    });
    return rows;
  }

  private async table(scope: AccessScope, q: ExportQuery): Promise<Table> {
    const effective = scope.narrow(q.accountIds);
    const filter = filterOf(q);
    if (q.kind === 'breakdown') {
      const dims = q.groupBy!;
      const { rows } = await this.store.costs.breakdown(effective, dims, filter);
      return {
        header: [...dims, 'currency', 'amount'],
        numeric: new Set([dims.length + 1]),
        async *pages() {
          for (let i = 0; i < rows.length; i += EXPORT_PAGE) yield rows.slice(i, i + EXPORT_PAGE).map((r) => [...dims.map((d) => r.keys[d]), r.currency, r.amount]);
        },
      };
    }
    const store = this.store;
    return {
      header: LINE_ITEM_COLUMNS.map(String),
      numeric: new Set([LINE_ITEM_COLUMNS.indexOf('quantity'), LINE_ITEM_COLUMNS.indexOf('amount')]),
      async *pages() {
        let after: { account: string; key: string } | undefined;
        for (;;) {
          const page = await store.costs.lineItems(effective, filter, { limit: EXPORT_PAGE, after });
          if (page.length === 0) return;
          yield page.map((r) => LINE_ITEM_COLUMNS.map((c) => String(r[c] ?? '')));
          const last = page[page.length - 1];
          after = { account: last.accountId, key: last.key };
          if (page.length < EXPORT_PAGE) return;
        }
      },
    };
  }

  private audit(actor: { userId: string }, q: ExportQuery, format: string, rows: number): Promise<void> {
    return this.store.audit.record({ userId: actor.userId, action: 'export', details: { format, kind: q.kind, from: q.from, to: q.to, groupBy: q.groupBy ?? null, accountIds: q.accountIds ?? null, rows } });
  }
}

/** Lets other requests run (setImmediate: after pending I/O callbacks). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Writes with back-pressure: waits for 'drain' when the socket's buffer is full (events.once rejects on 'error' and cleans up). */
async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
