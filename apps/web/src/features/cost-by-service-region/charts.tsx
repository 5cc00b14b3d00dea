// Recharts is loaded lazily (React.lazy) so the first paint does not wait for it.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMoney, toChartNumber } from '../../ui/decimal';
import type { ServiceRegionMatrix } from './service-region-matrix';

const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4f46e5', '#65a30d', '#0d9488', '#b91c1c'];
const color = (i: number) => PALETTE[i % PALETTE.length];

export function ServiceRegionChart({ matrix }: { matrix: ServiceRegionMatrix }) {
  const data = matrix.services.map((service) => {
    const row: Record<string, string | number> = { service };
    for (const region of matrix.regions) {
      const v = matrix.cell(service, region);
      if (v !== undefined) row[region] = toChartNumber(v);
    }
    return row;
  });
  return (
    <figure className="chart" aria-label={`Stacked bar chart of cost by service and region in ${matrix.currency}; the same numbers are in the table below`} data-chart-currency={matrix.currency}>
      <ResponsiveContainer width="100%" height={360}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 64, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="service" angle={-30} textAnchor="end" interval={0} height={80} tick={{ fontSize: 12 }} />
          <YAxis tickFormatter={(v: number) => v.toLocaleString()} width={80} />
          <Tooltip formatter={(v) => formatMoney(String(v), matrix.currency)} />
          <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 8 }} />
          {matrix.regions.map((region, i) => (
            <Bar key={region} dataKey={region} stackId="cost" fill={color(i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Spend per account, one bar each, all in one currency: the page draws one chart per currency. */
export function AccountsChart({ accounts, currency }: { accounts: { name: string; amount: string; currency: string }[]; currency: string }) {
  const narrow = typeof window !== 'undefined' && window.innerWidth < 640;
  const data = accounts.map((a) => ({ name: a.name, amount: toChartNumber(a.amount), currency: a.currency }));
  const plotted = [...new Set(accounts.map((a) => a.currency))].sort().join(',');
  return (
    <figure className="chart" aria-label={`Bar chart of cost per account in ${currency}; the accounts table has the same numbers`} data-chart-currency={plotted || currency}>
      <ResponsiveContainer width="100%" height={Math.max(120, data.length * 44)}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={(v: number) => v.toLocaleString()} />
          <YAxis type="category" dataKey="name" width={narrow ? 120 : 260} tick={{ fontSize: narrow ? 10 : 12 }} />
          <Tooltip formatter={(v) => formatMoney(String(v), currency)} />
          <Bar dataKey="amount" fill={color(0)} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
