import { viewReportSpec } from './report-subscriptions';

describe('a saved view read as a report', () => {
  it.each([
    ['explorer without group: by service', '/explorer', 'preset=mtd', { groupBy: ['service'], where: {}, currency: null }],
    ['explorer two groups, filters, accounts', '/explorer', 'group=service,region&service=Storage,Virtual%20Machines&accounts=eu,usgov&from=2026-11-01&to=2026-11-30', { groupBy: ['service', 'region'], where: { service: ['Storage', 'Virtual Machines'] }, accountIds: ['eu', 'usgov'] }],
    ['explorer keeps at most two, drops unknown and repeated groups', '/explorer', 'group=nope,meter,meter,cloud,region', { groupBy: ['meter', 'cloud'] }],
    ['explorer sandbox and estimated flags', '/explorer', 'sandbox=1&estimated=1', { includeSandbox: true, includeEstimated: true }],
    ['explorer tag grouping needs a valid key', '/explorer', 'group=tag,service&tagKey=env&tag=prod', { groupBy: ['tag', 'service'], tagKey: 'env', where: { tag: ['prod'] } }],
    ['explorer tag grouping without a key falls back', '/explorer', 'group=tag&tag=prod', { groupBy: ['service'], where: {} }],
    ['cost by service and region is service × region', '/cost-by-service-region', 'accounts=eu&customer=c1&currency=EUR', { groupBy: ['service', 'region'], where: { customer: ['c1'] }, accountIds: ['eu'], currency: 'EUR' }],
    ['overview is by account; currency=none means per billing currency', '/overview', 'currency=none', { groupBy: ['account'], currency: 'none' }],
    ['customers is by customer; an account= filter narrows like accounts=', '/customers', 'account=eu', { groupBy: ['customer'], accountIds: ['eu'], where: {} }],
    ['a malformed currency is ignored', '/explorer', 'currency=euro', { currency: null }],
  ] as const)('%s', (_name, path, query, expected) => {
    expect(viewReportSpec(path, query)).toMatchObject(expected);
  });

  it('has no report for a page that is not a cost table', () => {
    expect(viewReportSpec('/invoices', 'status=open')).toBeUndefined();
    expect(viewReportSpec('/nowhere', '')).toBeUndefined();
  });

  it('leaves accountIds out when the view names none (the subscriber’s whole scope)', () => {
    expect(viewReportSpec('/explorer', 'group=service')).not.toHaveProperty('accountIds');
  });
});
