import { PreparedJson } from './prepared-json';

/** A breakdown-shaped answer: an envelope and `n` rows with exact decimal amounts. */
function answer(n: number) {
  return {
    from: '2025-12-01',
    to: '2026-11-30',
    groupBy: ['meter'],
    skipped: undefined,
    rows: Array.from({ length: n }, (_, i) => ({ keys: { meter: `meter-"${i}"\u00e9` }, currency: i % 3 ? 'USD' : 'EUR', amount: `${i}.${String(i * 7919).padStart(6, '0')}`, note: i % 5 ? undefined : null })),
    totals: [{ currency: 'EUR', amount: '1.5' }],
    accountIds: ['a', 'b'],
  };
}

describe('PreparedJson.build: a big answer serialized a slice at a time', () => {
  it.each([0, 1, 999, 1000, 1001, 2000, 7003])('gives the bytes and ETag of one JSON.stringify for %i rows', async (n) => {
    const value = answer(n);
    const built = await PreparedJson.build(value);
    expect(built.body.toString('utf8')).toBe(JSON.stringify(value));
    expect(built.etag).toBe(PreparedJson.of(value).etag);
  });

  it('gives the bytes of JSON.stringify for what is not a plain object with long arrays', async () => {
    for (const value of [[1, 2, 3], 'text', 42, null, { toJSON: () => ({ rows: [1] }) }, Object.assign(Object.create(null), { rows: Array.from({ length: 1500 }, (_, i) => i) }), {}]) {
      expect((await PreparedJson.build(value)).body.toString('utf8')).toBe(JSON.stringify(value));
    }
  });

  it('lets the event loop run between slices: other work gets a turn at least once per 1,000 rows', async () => {
    const value = answer(20_000);
    let turns = 0;
    let running = true;
    const turn = () => {
      turns++;
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    turns = 0;
    await PreparedJson.build(value);
    running = false;
    expect(turns).toBeGreaterThanOrEqual(20);
  });
});
