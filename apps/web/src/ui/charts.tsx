// Recharts lives here and only here, behind React.lazy (see LazyCharts.tsx): no page's first paint
// waits for it. Bar geometry uses Number(); every number a reader sees comes from the exact table.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMoney, toChartNumber } from './decimal';

const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4f46e5', '#65a30d', '#0d9488', '#b91c1c'];
export const seriesColor = (i: number) => PALETTE[i % PALETTE.length];

export interface HBarDatum {
  label: string;
  amount: string;
  currency: string;
}

/**
 * The currencies a chart plots, as its `data-chart-currency` attribute: computed from the data, not
 * declared, so a chart that mixes currencies on one axis shows "CNY,EUR" and the e2e fails on it.
 */
export const chartCurrencyOf = (data: readonly { currency: string }[]) => [...new Set(data.map((d) => d.currency))].sort().join(',');

/** One horizontal bar per item, all in one currency: callers draw one chart per currency. */
export function HBarChart({ data, label, onSelect }: { data: HBarDatum[]; label: string; onSelect?: (d: HBarDatum) => void }) {
  const narrow = typeof window !== 'undefined' && window.innerWidth < 640;
  const rows = data.map((d) => ({ ...d, name: d.label, value: toChartNumber(d.amount) }));
  return (
    <figure className="chart" aria-label={`${label}; the table has the same numbers`} data-chart-currency={chartCurrencyOf(data)}>
      <ResponsiveContainer width="100%" height={Math.max(100, rows.length * 40 + 24)}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={(v: number) => v.toLocaleString()} />
          <YAxis type="category" dataKey="name" width={narrow ? 110 : 220} tick={{ fontSize: narrow ? 10 : 12 }} />
          <Tooltip formatter={(_v, _n, item) => formatMoney((item.payload as HBarDatum).amount, (item.payload as HBarDatum).currency)} />
          <Bar
            dataKey="value"
            fill={seriesColor(0)}
            isAnimationActive={false}
            cursor={onSelect ? 'pointer' : undefined}
            onClick={onSelect ? (d) => onSelect(d.payload as HBarDatum) : undefined}
          />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export interface StackedData {
  currency: string;
  categories: string[];
  series: string[];
  value: (category: string, series: string) => string | undefined;
  /** Series name → index in the palette, so a series keeps its colour across charts. */
  colorIndex?: (series: string) => number;
}

/** Vertical bars per category (period, service…), stacked by series; one currency per chart. */
export function StackedBarChart({ data, label, height = 320 }: { data: StackedData; label: string; height?: number }) {
  const rows = data.categories.map((category) => {
    const row: Record<string, string | number> = { category };
    for (const s of data.series) {
      const v = data.value(category, s);
      if (v !== undefined) row[s] = toChartNumber(v);
    }
    return row;
  });
  const manyTicks = data.categories.length > 16;
  return (
    <figure className="chart" aria-label={`${label}; the table has the same numbers`} data-chart-currency={data.currency}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="category" tick={{ fontSize: 11 }} interval={manyTicks ? 'preserveStartEnd' : 0} />
          <YAxis tickFormatter={(v: number) => v.toLocaleString()} width={70} />
          <Tooltip formatter={(v) => formatMoney(String(v), data.currency)} />
          {data.series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
          {data.series.map((s, i) => (
            <Bar key={s} dataKey={s} name={s || 'Total'} stackId="cost" fill={seriesColor(data.colorIndex ? data.colorIndex(s) : i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
