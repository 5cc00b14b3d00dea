import { RateLimiter } from './rate-limiter';

/** A fake clock whose sleep advances time, so pacing is checked without waiting. */
function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
    advance: (ms: number) => (t += ms),
  };
}

describe('RateLimiter', () => {
  it('lets a burst through, then paces at the rate', async () => {
    const c = fakeClock();
    const limiter = new RateLimiter(10, 3, c.now, c.sleep);
    for (let i = 0; i < 6; i++) await limiter.acquire();
    // 3 from the burst, then 3 more at 10/s = 100 ms apart.
    expect(c.now()).toBe(300);
  });

  it('holds every request during a Retry-After pause', async () => {
    const c = fakeClock();
    const limiter = new RateLimiter(100, 10, c.now, c.sleep);
    await limiter.acquire();
    limiter.pauseFor(5000);
    await Promise.all([limiter.acquire(), limiter.acquire()]);
    expect(c.now()).toBeGreaterThanOrEqual(5000);
  });

  it('does not hold a retry that already waited its Retry-After', async () => {
    const c = fakeClock();
    const limiter = new RateLimiter(100, 10, c.now, c.sleep);
    limiter.pauseFor(5000);
    await limiter.acquire(true);
    expect(c.sleeps).toEqual([]);
  });

  it('cannot spin when the clock does not move during sleep', async () => {
    const limiter = new RateLimiter(10, 1, () => 0, async () => undefined);
    for (let i = 0; i < 50; i++) await limiter.acquire();
  });

  it.each([
    [0, 1],
    [5, 0],
  ])('rejects rate %p burst %p', (rate, burst) => {
    expect(() => new RateLimiter(rate, burst)).toThrow(RangeError);
  });
});
