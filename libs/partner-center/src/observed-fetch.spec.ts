import { observedFetch, operationOf, type RequestObservation } from './observed-fetch';

describe('operationOf: a path template with bounded values', () => {
  it.each([
    ['https://api.partnercenter.microsoft.com/v1/customers?size=500', '/v1/customers'],
    ['https://api.partnercenter.microsoft.com/v1/customers/1b2c3d4e-aaaa-bbbb-cccc-123456789012/subscriptions', '/v1/customers/:id/subscriptions'],
    ['https://api.partnercenter.microsoft.com/v1/invoices/G000123456/lineitems/Azure/BillingLineItems', '/v1/invoices/:id/lineitems/Azure/BillingLineItems'],
    ['https://graph.microsoft.com/v1.0/reports/partners/billing/usage/unbilled/export', '/v1.0/reports/partners/billing/usage/unbilled/export'],
    ['https://graph.microsoft.com/v1.0/reports/partners/billing/operations/7f0c9e55-0000-4000-8000-000000000001', '/v1.0/reports/partners/billing/operations/:id'],
    ['https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/token', '/:id/oauth2/token'],
    ['not a url', '(invalid url)'],
  ])('%s → %s', (url, operation) => expect(operationOf(url)).toBe(operation));
});

describe('observedFetch', () => {
  it('reports each exchange with its status, and a network failure as status 0', async () => {
    const seen: RequestObservation[] = [];
    let call = 0;
    const fake = (async () => {
      call += 1;
      if (call === 2) throw new TypeError('fetch failed');
      return new Response('{}', { status: call === 1 ? 429 : 200 });
    }) as typeof fetch;
    const f = observedFetch(fake, (o) => seen.push(o), () => 'partner-center');
    expect((await f('http://127.0.0.1:1/v1/customers')).status).toBe(429);
    await expect(f('http://127.0.0.1:1/v1/customers', { method: 'post' })).rejects.toThrow('fetch failed');
    expect((await f(new URL('http://127.0.0.1:1/v1/customers/42/subscriptions'))).status).toBe(200);
    expect(seen.map(({ durationMs: _d, ...o }) => o)).toEqual([
      { api: 'partner-center', method: 'GET', operation: '/v1/customers', status: 429 },
      { api: 'partner-center', method: 'POST', operation: '/v1/customers', status: 0 },
      { api: 'partner-center', method: 'GET', operation: '/v1/customers/:id/subscriptions', status: 200 },
    ]);
  });

  it('never lets a failing observer break the request', async () => {
    const f = observedFetch((async () => new Response('ok')) as typeof fetch, () => { throw new Error('boom'); }, () => 'graph');
    expect(await (await f('http://127.0.0.1:1/x')).text()).toBe('ok');
  });
});
