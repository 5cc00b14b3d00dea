import { QueryCache, type Store } from '@meridian/store';
import { AnswerCache } from './answer-cache';
import { ApiWrites } from './api-writes';
import { acceptsGzip } from './prepared-json';

describe('acceptsGzip', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['GZIP', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['gzip;q=0', false],
    ['gzip; q=0', false],
    ['deflate, br', false],
    ['*', true],
    ['*;q=0', false],
    [['deflate', 'gzip'], true],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header as string | string[] | undefined)).toBe(expected);
  });
});

describe('AnswerCache', () => {
  const make = (ttlSeconds = 15) => {
    const cache = new QueryCache(ttlSeconds * 1000);
    const apiWrites = new ApiWrites();
    return { queries: cache, apiWrites, answers: new AnswerCache({ costs: { cache } } as unknown as Store, apiWrites) };
  };
  const counting = () => {
    let calls = 0;
    return { compute: async () => ({ n: ++calls }), calls: () => calls };
  };

  it('computes concurrent identical answers once and serializes them once', async () => {
    const { answers } = make();
    const c = counting();
    const [a, b] = await Promise.all([answers.get('k', c.compute), answers.get('k', c.compute)]);
    expect(c.calls()).toBe(1);
    expect(a).toBe(b);
    expect(JSON.parse(a.body.toString())).toEqual({ n: 1 });
    expect(a.etag).toMatch(/^"[\w-]{27}"$/);
  });

  it('drops every answer when the cost data changes or something is written through the api', async () => {
    const { answers, queries, apiWrites } = make();
    const c = counting();
    await answers.get('k', c.compute);
    queries.invalidate();
    expect(JSON.parse((await answers.get('k', c.compute)).body.toString())).toEqual({ n: 2 });
    apiWrites.written();
    expect(JSON.parse((await answers.get('k', c.compute)).body.toString())).toEqual({ n: 3 });
    expect(JSON.parse((await answers.get('k', c.compute)).body.toString())).toEqual({ n: 3 });
  });

  it('does not keep an answer computed while the data changed under it', async () => {
    const { answers, queries } = make();
    let release!: () => void;
    const slow = () => new Promise<{ v: string }>((r) => (release = () => r({ v: 'old' })));
    const pending = answers.get('k', slow);
    queries.invalidate(); // a sync page committed while the answer was being computed
    release();
    await pending;
    expect(JSON.parse((await answers.get('k', async () => ({ v: 'new' }))).body.toString())).toEqual({ v: 'new' });
  });

  it('answers at once with the previous answer while a newer one is computed after a cost write, never across an api write', async () => {
    const { answers, queries, apiWrites } = make();
    const text = async (p: Promise<{ body: Buffer }>) => JSON.parse((await p).body.toString()) as unknown;
    const unused = async () => ({ v: 'not computed' });
    await answers.get('k', async () => ({ v: 1 }));
    queries.invalidate(); // a sync page
    let release!: () => void;
    // The first caller after the page waits for the new answer…
    const refreshed = answers.get('k', () => new Promise((r) => (release = () => r({ v: 2 }))));
    // … callers arriving while it is computed get the previous one at once.
    expect(await text(answers.get('k', unused))).toEqual({ v: 1 });
    release();
    expect(await text(refreshed)).toEqual({ v: 2 });
    expect(await text(answers.get('k', unused))).toEqual({ v: 2 });

    queries.invalidate();
    const pending = answers.get('k', () => new Promise((r) => (release = () => r({ v: 3 }))));
    apiWrites.written(); // a setting changed through the api meanwhile
    const afterWrite = answers.get('k', async () => ({ v: 4 }));
    release();
    await pending;
    expect(await text(afterWrite)).toEqual({ v: 4 });
  });

  it('while a sync of this process runs, serves an answer until it is the TTL old; current again once the run ends or the api writes', async () => {
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const { answers, queries, apiWrites } = make();
      const c = counting();
      const n = async () => (JSON.parse((await answers.get('k', c.compute)).body.toString()) as { n: number }).n;
      expect(await n()).toBe(1);
      queries.runStarted('run-1');
      queries.invalidate(); // a page of the run
      now += 15_000 - 1;
      expect(await n()).toBe(1);
      queries.invalidate();
      expect(await n()).toBe(1);
      now += 1; // the answer is the TTL (15 s) old: computed again
      expect(await n()).toBe(2);
      queries.invalidate();
      expect(await n()).toBe(2);
      apiWrites.written(); // a setting changed: never served across
      expect(await n()).toBe(3);
      queries.invalidate();
      expect(await n()).toBe(3);
      queries.runEnded('run-1'); // the run's end: current at once
      expect(await n()).toBe(4);
      queries.invalidate(); // a write with no sync running: current at once, as before
      expect(await n()).toBe(5);
    } finally {
      clock.mockRestore();
    }
  });

  it('forgets a failed answer and caches nothing with a zero TTL', async () => {
    const { answers } = make();
    await expect(answers.get('k', async () => Promise.reject(new Error('422')))).rejects.toThrow('422');
    expect(JSON.parse((await answers.get('k', async () => ({ ok: true }))).body.toString())).toEqual({ ok: true });
    const off = make(0);
    const c = counting();
    await off.answers.get('k', c.compute);
    await off.answers.get('k', c.compute);
    expect(c.calls()).toBe(2);
  });
});
