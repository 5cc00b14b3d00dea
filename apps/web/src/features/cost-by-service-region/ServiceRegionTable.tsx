import { DataTable, type DataColumn } from '../../ui/DataTable';
import { formatMoney } from '../../ui/decimal';
import type { ServiceRegionMatrix } from './service-region-matrix';

interface ServiceRow {
  service: string;
}

export interface Drill {
  service: string | null;
  region: string | null;
}

/**
 * The chart's numbers as a table: services × regions, with totals. Every amount, service and
 * region is a button that drills down to the customers behind it.
 */
export function ServiceRegionTable({ matrix, selected, onSelect, testId = matrix.currency }: { matrix: ServiceRegionMatrix; selected?: Drill; onSelect?: (d: Drill) => void; testId?: string }) {
  const fmt = (v: string | undefined) => (v === undefined ? '—' : formatMoney(v, matrix.currency));
  const cellButton = (text: string, drill: Drill, label: string) =>
    onSelect ? (
      <button type="button" className="cell-button" aria-label={label} onClick={() => onSelect(drill)}>
        {text}
      </button>
    ) : (
      text
    );
  const isSel = (s: string | null, r: string | null) => selected?.service === s && selected?.region === r;
  const money = (v: string | undefined) => (v === undefined ? null : { amount: v, currency: matrix.currency });
  const columns: DataColumn<ServiceRow>[] = [
    { id: 'service', header: 'Service', rowHeader: true, value: ({ service: s }) => s, cell: ({ service: s }) => cellButton(s, { service: s, region: null }, `${s}: customers using this service`) },
    ...matrix.regions.map(
      (r): DataColumn<ServiceRow> => ({
        id: `region:${r}`,
        header: r,
        headerContent: cellButton(r, { service: null, region: r }, `${r}: customers in this region`),
        numeric: true,
        money: ({ service: s }) => money(matrix.cell(s, r)),
        cellProps: ({ service: s }) => (isSel(s, r) ? { className: 'selected' } : {}),
        cell: ({ service: s }) => {
          const v = matrix.cell(s, r);
          return v === undefined ? '—' : cellButton(fmt(v), { service: s, region: r }, `${s} in ${r}, ${fmt(v)}: customers`);
        },
      }),
    ),
    { id: 'total', header: 'Total', numeric: true, className: 'total', money: ({ service: s }) => money(matrix.serviceTotal(s)), cell: ({ service: s }) => fmt(matrix.serviceTotal(s)) },
  ];
  return (
    <DataTable
      testId={`matrix-${testId}`}
      className="matrix"
      label={`Cost by service and region in ${matrix.currency}${testId === matrix.currency ? '' : ', all accounts'}, table`}
      caption={
        <>
          Cost by service (rows) and region (columns), {matrix.currency}
          {onSelect && ' · choose an amount to see the customers behind it'}
        </>
      }
      rows={matrix.services.map((service) => ({ service }))}
      rowKey={(r) => r.service}
      columns={columns}
      footer={[
        {
          key: 'total',
          label: 'Total',
          cells: { ...Object.fromEntries(matrix.regions.map((r) => [`region:${r}`, fmt(matrix.regionTotal(r))])), total: fmt(matrix.total) },
          cellProps: { total: { className: 'num total', 'data-testid': `grand-total-${testId}` } },
        },
      ]}
    />
  );
}
