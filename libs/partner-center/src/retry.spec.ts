import { PartnerCenterError } from './errors';
import { backoffDelay, parseRetryAfter, retryDelay, withRetries } from './retry';

const policy = { retryBaseMs: 500, maxBackoffMs: 10_000, random: () => 0.999 };

function err(retryable: boolean, retryAfterMs?: number): PartnerCenterError {
  return new PartnerCenterError({ kind: 'http', status: retryable ? 503 : 400, requestId: 'r', method: 'GET', url: 'http://x/v1/y', retryable, retryAfterMs });
}

describe('retry policy', () => {
  it('uses full jitter in an exponentially growing, capped window', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, policy))).toEqual([499, 999, 1998, 3996, 9990]);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(0);
  });

  it('never waits less than Retry-After', () => {
    expect(retryDelay(0, 57_000, policy)).toBe(57_000);
    expect(retryDelay(4, 1000, policy)).toBe(7992);
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter('57')).toBe(57_000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-11-20T10:00:00Z');
    expect(parseRetryAfter('Fri, 20 Nov 2026 10:00:30 GMT', () => now)).toBe(30_000);
  });

  it('retries retryable errors up to maxRetries and rethrows others at once', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    let calls = 0;
    await expect(withRetries(async () => { calls++; throw err(true); }, { ...policy, maxRetries: 3, sleep })).rejects.toMatchObject({ status: 503, attempts: 4 });
    expect(calls).toBe(4);
    expect(waits).toHaveLength(3);

    calls = 0;
    await expect(withRetries(async () => { calls++; throw err(false); }, { ...policy, maxRetries: 3, sleep })).rejects.toMatchObject({ status: 400 });
    expect(calls).toBe(1);

    await expect(withRetries(async () => { throw new TypeError('bug'); }, { ...policy, maxRetries: 3, sleep })).rejects.toThrow(TypeError);
  });
});
