import { FOCUS_COLUMNS } from '@meridian/finops';
import { Writable } from 'node:stream';
import { AccessScope } from './access-scope';
import { writeFocusExport } from './focus-export';
import { ESTIMATED_SOURCE } from './repositories/cost.repository';
import { SecretBox } from './secret-box';
import { Store } from './store';
import { createTestStore, sampleCostRow, TestStore } from './testing';

/** Collects what an export writes. */
function collector(): { out: Writable; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

describe.each(['sqlite', 'postgres'] as const)('FOCUS export on %s', (kind) => {
  let test: TestStore;
  let store: Store;
  const window = { from: '2026-10-01', to: '2026-10-31', includeSandbox: false };

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(Buffer.alloc(32, 9)));
    for (const id of ['acc-a', 'acc-b']) {
      await store.accounts.upsertConnection(
        { id, name: `Account ${id}`, cloud: 'global', tenantId: `tenant-${id}`, appId: 'a', secret: 's', apiBaseUrl: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9/t', tokenResource: 'r', currency: 'EUR', sandbox: false, enabled: false },
        { userId: null, via: 'test' },
      );
    }
    const rows = Array.from({ length: 2500 }, (_, i) =>
      sampleCostRow({ billingAccountId: i % 2 ? 'acc-a' : 'acc-b', xNaturalKey: `k${String(i).padStart(5, '0')}`, billedCost: `0.${String(i + 1).padStart(18, '0')}`, chargePeriodStart: `2026-10-${String((i % 28) + 1).padStart(2, '0')}`, billingPeriodStart: '2026-10-01' }),
    );
    await store.costs.upsert(rows);
    await store.costs.upsert([sampleCostRow({ xSource: ESTIMATED_SOURCE, chargePeriodStart: '2026-10-05', billingPeriodStart: '2026-10-01' })]);
  });
  afterAll(async () => {
    await store.close();
    await test.drop();
  });

  it('writes every line item once, in pages, with the exact decimal text of the store; estimates only when asked', async () => {
    const sink = collector();
    const progress: number[] = [];
    const { rows } = await writeFocusExport(store, AccessScope.all(), window, sink.out, { format: 'csv', onProgress: (n) => progress.push(n) });
    expect(rows).toBe(2500);
    expect(progress).toEqual([1000, 2000, 2500]);
    const lines = sink.bytes().toString('utf8').trim().split('\n');
    expect(lines[0]).toBe(FOCUS_COLUMNS.map((c) => c.name).join(','));
    const billed = lines.slice(1).map((l) => l.split(',')[0]);
    // 18 decimals kept (canonical: no trailing zeros), no float on the way.
    expect(billed).toContain('0.0000000000000025');
    expect(billed.filter((b) => b === '0.000000000000000001')).toHaveLength(1);
    expect(lines.slice(1).map((l) => l.split(',')[1]).sort()).toEqual([...Array(1250).fill('acc-a'), ...Array(1250).fill('acc-b')]);
    const withEstimates = collector();
    expect((await writeFocusExport(store, AccessScope.all(), { ...window, includeEstimated: true }, withEstimates.out, { format: 'csv' })).rows).toBe(2501);
  });

  it('writes Parquet in row groups of the size asked, framed PAR1 … PAR1, only the scope\'s accounts', async () => {
    const sink = collector();
    const { rows } = await writeFocusExport(store, AccessScope.accounts(['acc-a']), window, sink.out, { format: 'parquet', rowGroupSize: 500 });
    expect(rows).toBe(1250);
    const bytes = sink.bytes();
    expect([bytes.subarray(0, 4).toString(), bytes.subarray(-4).toString()]).toEqual(['PAR1', 'PAR1']);
    expect(bytes.includes(Buffer.from('tenant-acc-b'))).toBe(false);
    expect(bytes.includes(Buffer.from('tenant-acc-a'))).toBe(true);
  });
});
