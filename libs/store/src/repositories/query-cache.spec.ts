import { QueryCache } from './query-cache';

describe('QueryCache', () => {
  it('shares one computation between identical concurrent and later queries within the TTL', async () => {
    let clock = 0;
    const cache = new QueryCache(1000, 10, () => clock);
    let runs = 0;
    const compute = async () => ++runs;
    expect(await Promise.all([cache.get('a', compute), cache.get('a', compute)])).toEqual([1, 1]);
    clock = 999;
    expect(await cache.get('a', compute)).toBe(1);
    clock = 1000;
    expect(await cache.get('a', compute)).toBe(2);
    cache.invalidate();
    expect(await cache.get('a', compute)).toBe(3);
  });

  it.each([
    ['disabled with a TTL of 0', 0, 3],
    ['enabled', 60_000, 1],
  ])('is %s', async (_name, ttl, expected) => {
    const cache = new QueryCache(ttl);
    let runs = 0;
    for (let i = 0; i < 3; i++) await cache.get('k', async () => ++runs);
    expect(runs).toBe(expected);
  });

  it('forgets failures and keeps at most maxEntries', async () => {
    const cache = new QueryCache(60_000, 2);
    await expect(cache.get('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('x', async () => 'ok')).toBe('ok');
    let runs = 0;
    await cache.get('a', async () => ++runs);
    await cache.get('b', async () => ++runs);
    await cache.get('c', async () => ++runs);
    await cache.get('a', async () => ++runs); // evicted: computed again
    expect(runs).toBe(4);
  });

  it('knows which sync runs of this process are writing; a run that ends is a write', async () => {
    const cache = new QueryCache(60_000);
    expect(cache.syncing).toBe(false);
    cache.runStarted('a');
    cache.runStarted('b');
    const generation = cache.generation;
    cache.runEnded('a');
    expect(cache.syncing).toBe(true);
    expect(cache.generation).toBe(generation + 1);
    cache.runEnded('b');
    expect(cache.syncing).toBe(false);
    cache.runEnded('b'); // ended already (or never started here): no write
    expect(cache.generation).toBe(generation + 2);
  });
});
