import { forEachConcurrently } from './concurrently';

describe('forEachConcurrently', () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it.each([1, 2, 4, 10])('runs every item with at most %i at once', async (limit) => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], limit, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      done.push(i);
      running--;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(Math.min(limit, 7));
  });

  it('rejects with the first failure once the items in flight settle, and starts no new ones', async () => {
    const started: number[] = [];
    let settled = 0;
    const run = forEachConcurrently([1, 2, 3, 4, 5], 2, async (i) => {
      started.push(i);
      await tick();
      settled++;
      if (i === 1) throw new Error('export 1 failed');
    });
    await expect(run).rejects.toThrow('export 1 failed');
    expect(settled).toBe(started.length);
    expect(started.length).toBeLessThan(5);
  });

  it('does nothing for no items', async () => {
    await expect(forEachConcurrently([], 3, async () => Promise.reject(new Error('never')))).resolves.toBeUndefined();
  });
});
