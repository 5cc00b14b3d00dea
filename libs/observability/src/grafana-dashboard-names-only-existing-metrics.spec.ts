import * as fs from 'node:fs';
import * as path from 'node:path';
import { MeridianMetrics } from './metrics';

const DASHBOARD = path.join(__dirname, '..', '..', '..', 'docs', 'grafana', 'meridian-dashboard.json');

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

/** Series names a metric exposes: histograms as _bucket, _sum, _count. */
async function exposedSeries(): Promise<Map<string, Set<string>>> {
  const metrics = new MeridianMetrics();
  const out = new Map<string, Set<string>>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    const labels = new Set(['job', 'instance', 'le', ...((m as unknown as { labelNames?: string[] }).labelNames ?? [])]);
    const names = m.type === ('histogram' as never) ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name];
    for (const n of names) out.set(n, labels);
  }
  for (const metric of metrics.registry.getMetricsAsArray()) {
    const labelNames = (metric as unknown as { labelNames: string[] }).labelNames ?? [];
    for (const [name, labels] of out) if (name === metric.name || name.startsWith(`${metric.name}_`)) for (const l of labelNames) labels.add(l);
  }
  return out;
}

describe('docs/grafana/meridian-dashboard.json', () => {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { title: string; panels: Panel[] };
  const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

  it('is a dashboard with panels that query Prometheus', () => {
    expect(dashboard.title).toBe('Meridian');
    expect(queries.length).toBeGreaterThanOrEqual(15);
  });

  it('names only metrics the processes expose, with labels they have', async () => {
    const series = await exposedSeries();
    const problems: string[] = [];
    const named = new Set<string>();
    for (const { panel, expr } of queries) {
      // Metric names: identifiers of our prefixes; a `{...}` right after one holds its label matchers.
      for (const match of expr.matchAll(/\b((?:meridian|nodejs|process)_[a-z0-9_]+)(\{([^}]*)\})?/g)) {
        const [, name, , matchers] = match;
        named.add(name);
        const labels = series.get(name);
        if (!labels) {
          problems.push(`${panel}: ${name} is not a metric`);
          continue;
        }
        for (const m of (matchers ?? '').matchAll(/([a-z_]+)\s*(?:=~|!~|!=|=)/g)) if (!labels.has(m[1])) problems.push(`${panel}: ${name} has no label ${m[1]}`);
      }
      for (const m of expr.matchAll(/by \(([^)]*)\)/g)) {
        for (const label of m[1].split(',').map((s) => s.trim())) {
          if (![...named].some((n) => series.get(n)?.has(label))) problems.push(`${panel}: no metric of the query has label ${label}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // Every meridian_ metric is on the dashboard somewhere.
    const meridian = [...series.keys()].filter((n) => n.startsWith('meridian_') && !/_(sum|bucket)$/.test(n));
    const missing = meridian.filter((n) => !named.has(n) && !named.has(n.replace(/_count$/, '_bucket')) && !named.has(n.replace(/_count$/, '_sum')));
    expect(missing).toEqual([]);
  });
});
