import { formatMoney } from '../../ui/decimal';
import type { ServiceRegionMatrix } from './service-region-matrix';

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
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={`Cost by service and region in ${matrix.currency}${testId === matrix.currency ? '' : ', all accounts'}, table`}>
      <table className="matrix" data-testid={`matrix-${testId}`}>
        <caption>
          Cost by service (rows) and region (columns), {matrix.currency}
          {onSelect && ' · choose an amount to see the customers behind it'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            {matrix.regions.map((r) => (
              <th scope="col" key={r} className="num">
                {cellButton(r, { service: null, region: r }, `${r}: customers in this region`)}
              </th>
            ))}
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {matrix.services.map((s) => (
            <tr key={s}>
              <th scope="row">{cellButton(s, { service: s, region: null }, `${s}: customers using this service`)}</th>
              {matrix.regions.map((r) => {
                const v = matrix.cell(s, r);
                return (
                  <td key={r} className={isSel(s, r) ? 'num selected' : 'num'}>
                    {v === undefined ? '—' : cellButton(fmt(v), { service: s, region: r }, `${s} in ${r}, ${fmt(v)}: customers`)}
                  </td>
                );
              })}
              <td className="num total">{fmt(matrix.serviceTotal(s))}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            {matrix.regions.map((r) => (
              <td key={r} className="num total">
                {fmt(matrix.regionTotal(r))}
              </td>
            ))}
            <td className="num total" data-testid={`grand-total-${testId}`}>
              {fmt(matrix.total)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
