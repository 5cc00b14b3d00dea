import { readPathFor, type ReadPathQuery } from './read-path';

describe('readPathFor: the §5.4 table, with the per-account override', () => {
  const cases: [ReadPathQuery, 'graph' | 'v1'][] = [
    // global (incl. EU): Graph for usage and recent reconciliation
    [{ cloud: 'global', dataset: 'usage-unbilled' }, 'graph'],
    [{ cloud: 'global', dataset: 'usage-billed', periodStart: '2026-10-01' }, 'graph'],
    [{ cloud: 'global', dataset: 'usage-billed', periodStart: '2022-09-01' }, 'graph'],
    [{ cloud: 'global', dataset: 'usage-billed', periodStart: '2022-08-01' }, 'v1'],
    [{ cloud: 'global', dataset: 'reconciliation-billed', periodStart: '2024-02-01' }, 'graph'],
    [{ cloud: 'global', dataset: 'reconciliation-billed', periodStart: '2024-01-01' }, 'v1'],
    [{ cloud: 'global', dataset: 'reconciliation-unbilled' }, 'graph'],
    [{ cloud: 'global', dataset: 'usage-unbilled', usageApi: 'auto' }, 'graph'],
    // US Government, 21Vianet, Germany: no Graph export
    ...(['usgov', 'china', 'germany'] as const).flatMap((cloud) =>
      (['usage-unbilled', 'usage-billed', 'reconciliation-billed', 'reconciliation-unbilled'] as const).map(
        (dataset): [ReadPathQuery, 'graph' | 'v1'] => [{ cloud, dataset, periodStart: '2026-10-01' }, 'v1'],
      ),
    ),
    // the override wins either way
    [{ cloud: 'global', dataset: 'usage-unbilled', usageApi: 'v1' }, 'v1'],
    [{ cloud: 'global', dataset: 'reconciliation-billed', periodStart: '2023-01-01', usageApi: 'graph' }, 'graph'],
    [{ cloud: 'usgov', dataset: 'usage-billed', periodStart: '2026-10-01', usageApi: 'graph' }, 'graph'],
  ];
  it.each(cases)('%j → %s', (q, want) => {
    expect(readPathFor(q)).toBe(want);
  });
});
