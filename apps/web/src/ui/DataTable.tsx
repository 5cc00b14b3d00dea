import {
  columnVisibilityFeature,
  createSortedRowModel,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type Row,
  type RowData,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useMemo, useRef, type HTMLAttributes, type ReactNode, type TdHTMLAttributes } from 'react';
import { formatMoney } from './decimal';
import { compareMoney, compareValues, totalsByCurrency, type MoneyValue } from './table-order';

export { compareMoney, compareValues, totalsByCurrency, type MoneyValue };

/**
 * The one table of the dashboard, on TanStack Table (sorting, column visibility) and TanStack
 * Virtual (long lists): real <table> semantics, sortable headers as buttons with aria-sort, a sticky
 * header, a "Columns" menu, totals per currency summed exactly, and a window of rows past
 * VIRTUAL_THRESHOLD when the page asks for it. Markup, styles and accessibility are ours; TanStack
 * owns the sort and visibility state and the sorted row model.
 */

type DataAttrs = { [k: `data-${string}`]: string | number | boolean | undefined };
export type CellAttrs = TdHTMLAttributes<HTMLTableCellElement> & DataAttrs;
export type RowAttrs = HTMLAttributes<HTMLTableRowElement> & DataAttrs;

export interface DataColumn<T> {
  id: string;
  /** The column's name: header text, "Columns" menu entry, and the cell's label in narrow cards. */
  header: string;
  /** Richer header content than the name (e.g. a drill-down button); the column then does not sort. */
  headerContent?: ReactNode;
  cell: (row: T) => ReactNode;
  /** A money column: sorted by currency, then by the exact amount; summed per currency when `total`. */
  money?: (row: T) => MoneyValue | null | undefined;
  /** The value a text, date or number column sorts by; a decimal string compares exactly. */
  value?: (row: T) => string | number | null | undefined;
  /** Any other order (ascending; the table reverses it for descending). */
  compare?: (a: T, b: T) => number;
  /** false: not sortable even though it has a value. */
  sortable?: boolean;
  /** Sum this money column per currency in the footer. */
  total?: boolean;
  numeric?: boolean;
  /** The row's header cell (<th scope="row">); never hidden. */
  rowHeader?: boolean;
  /** false: cannot be hidden from the "Columns" menu. */
  hideable?: boolean;
  /** Hidden until chosen in the "Columns" menu. */
  hiddenByDefault?: boolean;
  className?: string;
  cellProps?: (row: T) => CellAttrs;
}

/** A footer row: a label, then content under the columns it names (hidden columns are skipped). */
export interface FooterRow {
  key: string;
  label: ReactNode;
  cells: Record<string, ReactNode>;
  cellProps?: Record<string, CellAttrs>;
}

export interface DataTableProps<T extends RowData> {
  rows: readonly T[];
  columns: DataColumn<T>[];
  rowKey: (row: T) => string;
  /** data-testid of the <table>. */
  testId?: string;
  /** Accessible name of the scrollable region around the table. */
  label: string;
  caption?: ReactNode;
  className?: string;
  rowProps?: (row: T) => RowAttrs;
  /** data-testid of each per-currency total cell; the footer gets one row per currency. */
  totalTestId?: (currency: string, columnId: string) => string | undefined;
  /** Label of a per-currency total row (default "Total EUR"). */
  totalLabel?: (currency: string) => ReactNode;
  /** Footer rows after the per-currency totals (or instead of them). */
  footer?: FooterRow[];
  /** Long lists: render only the rows in view once there are more than VIRTUAL_THRESHOLD. */
  virtualize?: boolean;
  /** Show the "Columns" menu (default: when some column can be hidden and there are more than two). */
  columnMenu?: boolean;
}

export const VIRTUAL_THRESHOLD = 100;
const ROW_HEIGHT = 33;

const features = tableFeatures({ rowSortingFeature, columnVisibilityFeature, sortedRowModel: createSortedRowModel() });
type Features = typeof features;

function comparatorOf<T>(c: DataColumn<T>): ((a: T, b: T) => number) | null {
  if (c.sortable === false || c.headerContent !== undefined) return null;
  if (c.compare) return c.compare;
  const money = c.money;
  if (money) return (a, b) => compareMoney(money(a), money(b));
  const value = c.value;
  if (value) return (a, b) => compareValues(value(a), value(b));
  return null;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

export function DataTable<T extends RowData>(props: DataTableProps<T>) {
  const { rows, columns, rowKey } = props;
  const menuId = useId();
  const spec = useMemo(() => new Map(columns.map((c) => [c.id, c])), [columns]);
  const defs = useMemo<ColumnDef<Features, T, unknown>[]>(
    () =>
      columns.map((c) => {
        const cmp = comparatorOf(c);
        return {
          id: c.id,
          header: c.header,
          accessorFn: (r: T) => r,
          enableSorting: cmp !== null,
          enableHiding: !c.rowHeader && c.hideable !== false,
          ...(cmp ? { sortFn: (a: Row<Features, T>, b: Row<Features, T>) => cmp(a.original, b.original) } : {}),
        };
      }),
    [columns],
  );
  const data = useMemo(() => [...rows], [rows]);
  const initialVisibility = useMemo(() => Object.fromEntries(columns.filter((c) => c.hiddenByDefault).map((c) => [c.id, false])), [columns]);
  const table = useTable({
    features,
    columns: defs,
    data,
    getRowId: (r: T) => rowKey(r),
    initialState: { columnVisibility: initialVisibility },
    // Every column sorts ascending first, then descending, then ascending again: predictable by keyboard.
    sortDescFirst: false,
    enableSortingRemoval: false,
    enableMultiSort: false,
  });
  const visible = table.getVisibleLeafColumns().map((col) => spec.get(col.id)!).filter(Boolean);
  const sortedRows = table.getRowModel().rows;

  const footerRows = useMemo(() => {
    const out: FooterRow[] = [];
    const totalCols = columns.filter((c) => c.total && c.money);
    if (totalCols.length) {
      const currencies = [...new Set(totalCols.flatMap((c) => totalsByCurrency(rows, c.money!).map((t) => t.currency)))].sort();
      for (const currency of currencies) {
        const cells: Record<string, ReactNode> = {};
        const cellProps: Record<string, CellAttrs> = {};
        for (const c of totalCols) {
          const t = totalsByCurrency(
            rows.filter((r) => c.money!(r)?.currency === currency),
            c.money!,
          )[0];
          if (!t) continue;
          cells[c.id] = formatMoney(t.amount, currency);
          cellProps[c.id] = { className: 'num total', 'data-testid': props.totalTestId?.(currency, c.id) };
        }
        out.push({ key: `total-${currency}`, label: props.totalLabel?.(currency) ?? `Total ${currency}`, cells, cellProps });
      }
    }
    return [...out, ...(props.footer ?? [])];
  }, [columns, rows, props.footer, props.totalTestId, props.totalLabel]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const windowed = !!props.virtualize && sortedRows.length > VIRTUAL_THRESHOLD;
  const virtualizer = useVirtualizer({
    count: windowed ? sortedRows.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => sortedRows[i]?.id ?? i,
    overscan: 10,
  });
  const items = windowed ? virtualizer.getVirtualItems() : [];
  const padTop = windowed && items.length ? items[0].start : 0;
  const padBottom = windowed && items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const shown = windowed ? items.map((i) => ({ row: sortedRows[i.index], index: i.index })) : sortedRows.map((row, index) => ({ row, index }));

  const hideable = table.getAllLeafColumns().filter((col) => col.getCanHide());
  const showMenu = props.columnMenu ?? (hideable.length > 0 && columns.length > 2);
  // aria-rowcount/-rowindex tell assistive technology the size of a list that is not all in the DOM.
  const rowCount = windowed ? 1 + sortedRows.length + footerRows.length : undefined;

  const renderCell = (c: DataColumn<T>, r: T) => {
    const extra = c.cellProps?.(r) ?? {};
    const className = [c.numeric ? 'num' : '', c.className ?? '', extra.className ?? ''].filter(Boolean).join(' ') || undefined;
    if (c.rowHeader)
      return (
        <th scope="row" key={c.id} {...extra} className={className}>
          {c.cell(r)}
        </th>
      );
    return (
      <td key={c.id} data-label={c.header} {...extra} className={className}>
        {c.cell(r)}
      </td>
    );
  };

  const renderFooter = (f: FooterRow, i: number) => {
    const first = visible.findIndex((c) => c.id in f.cells);
    const span = first === -1 ? visible.length : first;
    return (
      <tr key={f.key} aria-rowindex={rowCount ? 2 + sortedRows.length + i : undefined}>
        {span > 0 && (
          <th scope="row" colSpan={span}>
            {f.label}
          </th>
        )}
        {first !== -1 &&
          visible.slice(first).map((c, j) => {
            const content = f.cells[c.id];
            const p = f.cellProps?.[c.id] ?? {};
            return (
              <td key={c.id} data-label={c.header} className={p.className ?? (c.numeric ? 'num total' : undefined)} {...p}>
                {span === 0 && j === 0 && <span className="visually-hidden">{f.label} </span>}
                {content}
              </td>
            );
          })}
      </tr>
    );
  };

  return (
    <div className="data-table">
      {showMenu && (
        <details className="column-menu" data-testid={props.testId ? `${props.testId}-columns` : undefined}>
          <summary>Columns</summary>
          <fieldset id={menuId}>
            <legend className="visually-hidden">Columns shown in {props.label}</legend>
            {hideable.map((col) => (
              // The label is beside its box, not around it: a page's "label with this text" stays its own field.
              <span key={col.id} className="column-choice">
                <input id={`${menuId}-${col.id}`} type="checkbox" checked={col.getIsVisible()} data-column={col.id} onChange={(e) => col.toggleVisibility(e.target.checked)} />
                <label htmlFor={`${menuId}-${col.id}`}>{spec.get(col.id)?.header}</label>
              </span>
            ))}
          </fieldset>
        </details>
      )}
      <div ref={scrollRef} className={windowed ? 'table-wrap table-scroll windowed' : 'table-wrap table-scroll'} tabIndex={0} role="region" aria-label={props.label}>
        <table data-testid={props.testId} className={props.className} aria-rowcount={rowCount} data-row-count={sortedRows.length}>
          {props.caption && <caption>{props.caption}</caption>}
          <thead>
            <tr aria-rowindex={rowCount ? 1 : undefined}>
              {table.getHeaderGroups()[0]?.headers.map((h) => {
                const c = spec.get(h.column.id)!;
                const canSort = h.column.getCanSort();
                const dir = h.column.getIsSorted();
                return (
                  <th key={h.id} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={dir ? ARIA_SORT[dir] : canSort ? 'none' : undefined} data-column={c.id}>
                    {canSort ? (
                      <button type="button" className="sort-button" onClick={() => h.column.toggleSorting(dir === 'asc')}>
                        {c.header}
                        <span className="sort-mark" aria-hidden="true">
                          {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
                        </span>
                      </button>
                    ) : (
                      (c.headerContent ?? c.header)
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {padTop > 0 && (
              <tr className="spacer" aria-hidden="true" style={{ height: padTop }}>
                <td colSpan={visible.length} />
              </tr>
            )}
            {shown.map(({ row, index }) => (
              <tr
                key={row.id}
                {...props.rowProps?.(row.original)}
                aria-rowindex={rowCount ? 2 + index : undefined}
                data-index={windowed ? index : undefined}
                ref={windowed ? virtualizer.measureElement : undefined}
              >
                {visible.map((c) => renderCell(c, row.original))}
              </tr>
            ))}
            {padBottom > 0 && (
              <tr className="spacer" aria-hidden="true" style={{ height: padBottom }}>
                <td colSpan={visible.length} />
              </tr>
            )}
          </tbody>
          {footerRows.length > 0 && <tfoot>{footerRows.map(renderFooter)}</tfoot>}
        </table>
      </div>
    </div>
  );
}
