import { prefetched } from './prefetched';

describe('prefetched pages', () => {
  it('yields every page in order while asking for the next one early', async () => {
    const asked: number[] = [];
    async function* pages() {
      for (let i = 1; i <= 3; i++) {
        asked.push(i);
        yield i;
      }
    }
    const seen: [number, number[]][] = [];
    for await (const p of prefetched(pages())) seen.push([p, [...asked]]);
    expect(seen).toEqual([
      [1, [1, 2]],
      [2, [1, 2, 3]],
      [3, [1, 2, 3]],
    ]);
  });

  it('passes an error of a later page to the consumer, not to the void', async () => {
    async function* pages() {
      yield 1;
      throw new Error('page 2 failed');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const p of prefetched(pages())) seen.push(p);
      })(),
    ).rejects.toThrow('page 2 failed');
    expect(seen).toEqual([1]);
  });
});
