import { metricsAccess } from './metrics-access';

/** The guard alone, on fake requests: a real non-loopback client would need an address off this machine. */
const request = (remoteAddress: string | undefined, authorization?: string) => ({
  headers: authorization === undefined ? {} : { authorization },
  socket: { remoteAddress } as never,
});

describe('metricsAccess: loopback only, or a matching bearer token', () => {
  it.each([
    ['127.0.0.1', undefined, true],
    ['::1', undefined, true],
    ['::ffff:127.0.0.1', undefined, true],
    ['10.0.0.5', undefined, false],
    ['192.168.1.20', undefined, false],
    ['::ffff:10.0.0.5', undefined, false],
    // Only 127.0.0.1 itself: another 127/8 address is another interface someone configured.
    ['127.0.0.2', undefined, false],
    [undefined, undefined, false],
  ])('without a token, %s → allowed %s', (address, auth, allowed) => {
    expect(metricsAccess(request(address, auth), undefined).allowed).toBe(allowed);
  });

  it('without a token, a forged X-Forwarded-For does not make a remote client local', () => {
    const req = { headers: { 'x-forwarded-for': '127.0.0.1' }, socket: { remoteAddress: '10.0.0.5' } as never };
    expect(metricsAccess(req, undefined)).toEqual({ allowed: false, status: 403, message: expect.stringContaining('loopback') });
  });

  it.each([
    ['10.0.0.5', 'Bearer s3cret-metrics', true],
    ['10.0.0.5', 'bearer s3cret-metrics', true],
    ['127.0.0.1', 'Bearer s3cret-metrics', true],
    // With a token, loopback is no exception.
    ['127.0.0.1', undefined, false],
    ['10.0.0.5', 'Bearer s3cret-metric', false],
    ['10.0.0.5', 'Bearer s3cret-metrics-and-more', false],
    ['10.0.0.5', 'Basic s3cret-metrics', false],
    ['10.0.0.5', '', false],
  ])('with a token, %s sending "%s" → allowed %s', (address, auth, allowed) => {
    const access = metricsAccess(request(address, auth), 's3cret-metrics');
    expect(access.allowed).toBe(allowed);
    if (!access.allowed) expect(access.status).toBe(401);
  });
});
