import { FOCUS_COLUMNS, focusCsvCell, focusMetadata, focusRowOf, FOCUS_VERSION, type FocusCell } from '@meridian/finops';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AccessScope } from './access-scope';
import type { CostFilter, FocusLineItem } from './repositories/cost.repository';
import type { Store } from './store';

// hyparquet-writer is an ES module; Node ≥ 20.19 loads it with require() (loaded on first Parquet export).
type HyparquetWriter = typeof import('hyparquet-writer', { with: { 'resolution-mode': 'import' } });
type SchemaElement = ConstructorParameters<HyparquetWriter['ParquetWriter']>[0]['schema'][number];

export type FocusFormat = 'csv' | 'parquet';

/** Line items read per query: a page holds a few MB at most. */
const FOCUS_PAGE = 1000;
/**
 * Rows per Parquet row group: readers want groups of thousands of rows, memory wants them small;
 * 10,000 rows × 57 columns stay ~10–20 MB of cells while a group is encoded.
 */
export const FOCUS_ROW_GROUP = 10_000;

export interface FocusExportOptions {
  format: FocusFormat;
  /** Called after each page with the rows written so far. */
  onProgress?: (rowsDone: number) => void;
  /** Row group size (tests use small ones to get several groups). */
  rowGroupSize?: number;
}

/**
 * Streams the FOCUS Cost and Usage dataset of the scope and filter to `out`, page by page (memory
 * flat whatever the size), with back-pressure. Returns the rows written. Auditing is the caller's.
 */
export async function writeFocusExport(store: Store, scope: AccessScope, filter: CostFilter, out: Writable, options: FocusExportOptions): Promise<{ rows: number }> {
  const accounts = new Map((await store.accounts.list(scope)).map((a) => [a.id, a]));
  const pages = focusPages(store, scope, filter, accounts);
  if (options.format === 'csv') {
    let rows = 0;
    await write(out, FOCUS_COLUMNS.map((c) => c.name).join(',') + '\n');
    for await (const page of pages) {
      await write(out, page.map((r) => r.map(focusCsvCell).join(',')).join('\n') + '\n');
      rows += page.length;
      options.onProgress?.(rows);
    }
    return { rows };
  }
  return writeParquet(pages, out, options);
}

/** Rows still to come for the same scope and filter: for progress bars. */
export async function countFocusRows(store: Store, scope: AccessScope, filter: CostFilter): Promise<number> {
  const { rows } = await store.costs.breakdown(scope, ['account'], filter);
  return rows.reduce((n, r) => n + r.count, 0);
}

async function* focusPages(store: Store, scope: AccessScope, filter: CostFilter, accounts: Map<string, { name: string; tenantId: string }>): AsyncGenerator<FocusCell[][]> {
  let after: { account: string; key: string } | undefined;
  for (;;) {
    const page: FocusLineItem[] = await store.costs.focusLineItems(scope, filter, { limit: FOCUS_PAGE, after });
    if (page.length === 0) return;
    yield page.map((r) => {
      const account = accounts.get(r.accountId);
      return focusRowOf({ ...r, accountName: account?.name ?? '', partnerTenantId: account?.tenantId ?? '' });
    });
    const last = page[page.length - 1];
    after = { account: last.accountId, key: last.naturalKey };
    if (page.length < FOCUS_PAGE) return;
  }
}

/** The Parquet schema of FOCUS_COLUMNS: decimals as exact text (UTF8), DateTime as UTC timestamps. */
export function focusParquetSchema(): SchemaElement[] {
  return [
    { name: 'root', num_children: FOCUS_COLUMNS.length },
    ...FOCUS_COLUMNS.map((c): SchemaElement => {
      const repetition_type = c.nullable ? 'OPTIONAL' : 'REQUIRED';
      if (c.dataType === 'DateTime') {
        return { name: c.name, type: 'INT64', repetition_type, converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } };
      }
      return { name: c.name, type: 'BYTE_ARRAY', repetition_type, converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    }),
  ];
}

async function writeParquet(pages: AsyncGenerator<FocusCell[][]>, out: Writable, options: FocusExportOptions): Promise<{ rows: number }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ParquetWriter, ByteWriter } = require('hyparquet-writer') as HyparquetWriter;
  const groupSize = options.rowGroupSize ?? FOCUS_ROW_GROUP;
  // The writer's buffer goes to `out` after each row group, then is reused: it never holds more than a group.
  const sink = new ByteWriter();
  const flush = async () => {
    if (sink.index === 0) return;
    await write(out, Buffer.from(new Uint8Array(sink.buffer, 0, sink.index)));
    sink.index = 0;
  };
  Object.assign(sink, { flush, finish: flush });
  const metadata = focusMetadata(new Date().toISOString());
  const writer = new ParquetWriter({
    writer: sink,
    schema: focusParquetSchema(),
    codec: 'SNAPPY',
    createdBy: `Meridian FOCUS ${FOCUS_VERSION} export (hyparquet-writer)`,
    kvMetadata: [
      { key: 'FocusVersion', value: FOCUS_VERSION },
      { key: 'focus_metadata', value: JSON.stringify(metadata) },
    ],
  });
  const dateColumns = new Set(FOCUS_COLUMNS.flatMap((c, i) => (c.dataType === 'DateTime' ? [i] : [])));
  let buffered: FocusCell[][] = [];
  let rows = 0;
  const writeGroup = async () => {
    if (buffered.length === 0) return;
    const columnData = FOCUS_COLUMNS.map((c, i) => ({
      name: c.name,
      data: buffered.map((r) => (r[i] === null ? null : dateColumns.has(i) ? new Date(r[i] as string) : r[i])),
    }));
    await writer.write({ columnData, rowGroupSize: buffered.length });
    buffered = [];
  };
  for await (const page of pages) {
    for (const r of page) buffered.push(r);
    rows += page.length;
    if (buffered.length >= groupSize) await writeGroup();
    options.onProgress?.(rows);
  }
  await writeGroup();
  await writer.finish();
  return { rows };
}

/** Writes with back-pressure: waits for 'drain' when the stream's buffer is full. */
async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
