import { continuationPages, offsetPages, resolveNextUri, type CollectionEnvelope, type PageRequest } from './paging';

describe('paging', () => {
  it('resolves next links relative to {base}/v1 and refuses foreign origins', () => {
    expect(resolveNextUri('https://api.example/v1', '/customers?size=2&seekOperation=Next')).toBe('https://api.example/v1/customers?size=2&seekOperation=Next');
    expect(resolveNextUri('https://api.example/v1', 'customers')).toBe('https://api.example/v1/customers');
    expect(resolveNextUri('https://api.example/v1', 'https://api.example/v1/x')).toBe('https://api.example/v1/x');
    expect(() => resolveNextUri('https://api.example/v1', 'https://evil.example/v1/x')).toThrow(/foreign origin/);
  });

  it('stops when a continuation link repeats itself', async () => {
    const page: CollectionEnvelope = { items: [1], links: { next: { uri: '/a', headers: [{ key: 'MS-ContinuationToken', value: 'same' }] } } };
    const gen = continuationPages({ url: 'https://h/v1/a', headers: {} }, async () => page, 'https://h/v1');
    await expect((async () => { for await (const _ of gen) { /* drain */ } })()).rejects.toThrow(/repeats/);
  });

  it('walks offset pages until a short page', async () => {
    const all = Array.from({ length: 7 }, (_, i) => i);
    const seen: PageRequest[] = [];
    const pages: unknown[][] = [];
    for await (const env of offsetPages((offset, size) => `https://h/v1/invoices?size=${size}&offset=${offset}`, 3, async (req) => {
      seen.push(req);
      const offset = Number(new URL(req.url).searchParams.get('offset'));
      return { totalCount: all.length, items: all.slice(offset, offset + 3) };
    })) pages.push(env.items);
    expect(pages).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(seen.map((r) => new URL(r.url).searchParams.get('offset'))).toEqual(['0', '3', '6']);
  });

  it('offset paging stops at totalCount without an extra empty request', async () => {
    let calls = 0;
    const pages: unknown[][] = [];
    for await (const env of offsetPages((o, s) => `https://h/v1/i?size=${s}&offset=${o}`, 2, async () => {
      calls++;
      return { totalCount: 4, items: calls <= 2 ? ['a', 'b'] : [] };
    })) pages.push(env.items);
    expect(pages).toEqual([['a', 'b'], ['a', 'b']]);
    expect(calls).toBe(2);
  });
});
