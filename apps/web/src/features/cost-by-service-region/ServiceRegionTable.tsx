import { formatMoney } from '../../ui/decimal';
import type { ServiceRegionMatrix } from './service-region-matrix';

/** The chart's numbers as a table: services × regions, with totals. */
export function ServiceRegionTable({ matrix }: { matrix: ServiceRegionMatrix }) {
  const fmt = (v: string | undefined) => (v === undefined ? '—' : formatMoney(v, matrix.currency));
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={`Cost by service and region in ${matrix.currency}, table`}>
      <table className="matrix" data-testid={`matrix-${matrix.currency}`}>
        <caption>
          Cost by service (rows) and region (columns), {matrix.currency}
        </caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            {matrix.regions.map((r) => (
              <th scope="col" key={r} className="num">
                {r}
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
              <th scope="row">{s}</th>
              {matrix.regions.map((r) => (
                <td key={r} className="num">
                  {fmt(matrix.cell(s, r))}
                </td>
              ))}
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
            <td className="num total" data-testid={`grand-total-${matrix.currency}`}>
              {fmt(matrix.total)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
