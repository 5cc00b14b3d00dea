/**
 * Iterates pages while the next one is already being fetched and parsed: the download of page
 * n+1 overlaps the database write of page n. One page ahead at most, so memory stays flat.
 */
export async function* prefetched<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const it = pages[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      // If the consumer stops (error, return), the pending fetch must not become an unhandled rejection.
      next.catch(() => undefined);
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}
