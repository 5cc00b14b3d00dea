import { lazy, Suspense } from 'react';
import type { HBarDatum, StackedData } from './charts';
import { Loading } from './States';

const HBar = lazy(() => import('./charts').then((m) => ({ default: m.HBarChart })));
const Stacked = lazy(() => import('./charts').then((m) => ({ default: m.StackedBarChart })));

export function LazyHBarChart(props: { data: HBarDatum[]; label: string; onSelect?: (d: HBarDatum) => void }) {
  return (
    <Suspense fallback={<Loading what="chart" />}>
      <HBar {...props} />
    </Suspense>
  );
}

export function LazyStackedBarChart(props: { data: StackedData; label: string; height?: number }) {
  return (
    <Suspense fallback={<Loading what="chart" />}>
      <Stacked {...props} />
    </Suspense>
  );
}

export type { HBarDatum, StackedData };
