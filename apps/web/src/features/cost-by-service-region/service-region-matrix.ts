import type { BreakdownRow } from '@meridian/contracts';
import { addDecimals } from '../../ui/decimal';

/** One currency's service × region matrix with exact row, column and grand totals. */
export interface ServiceRegionMatrix {
  currency: string;
  services: string[];
  regions: string[];
  cell: (service: string, region: string) => string | undefined;
  serviceTotal: (service: string) => string;
  regionTotal: (region: string) => string;
  total: string;
}

export function buildMatrices(rows: BreakdownRow[]): ServiceRegionMatrix[] {
  const byCurrency = new Map<string, BreakdownRow[]>();
  for (const r of rows) byCurrency.set(r.currency, [...(byCurrency.get(r.currency) ?? []), r]);
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, list]) => {
      const cells = new Map(list.map((r) => [`${r.keys.service}\u0000${r.keys.region}`, r.amount]));
      const sumBy = (key: 'service' | 'region') => {
        const m = new Map<string, string[]>();
        for (const r of list) m.set(r.keys[key], [...(m.get(r.keys[key]) ?? []), r.amount]);
        return new Map([...m].map(([k, v]) => [k, addDecimals(v)]));
      };
      const services = sumBy('service');
      const regions = sumBy('region');
      // Biggest first: the report is read top-left.
      const order = (m: Map<string, string>) => [...m.keys()].sort((a, b) => Number(m.get(b)) - Number(m.get(a)) || a.localeCompare(b));
      return {
        currency,
        services: order(services),
        regions: order(regions),
        cell: (s, r) => cells.get(`${s}\u0000${r}`),
        serviceTotal: (s) => services.get(s) ?? '0',
        regionTotal: (r) => regions.get(r) ?? '0',
        total: addDecimals(list.map((r) => r.amount)),
      };
    });
}
