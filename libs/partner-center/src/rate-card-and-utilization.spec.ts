import { FakePartnerCenter, rawCollection } from '../test/fake-partner-center';
import { PartnerCenterClient, PartnerCenterError, quoteRateValues } from './index';

const CUSTOMER_ID = '2bb0c2b4-0000-4000-8000-000000000001';
const LEGACY_ID = 'c0ffee00-0000-4000-8000-000000000001';
const METER = '8767aeb3-0000-4000-8000-000000000001';

const meter = (id: string, rates: string, extra = '') =>
  `{"id":"${id}","name":"Standard IO - Page Blob/Disk","rates":${rates},"tags":[],"category":"Storage","subcategory":"Locally Redundant",` +
  `"region":"Azure West Europe","unit":"1 GB/Month","includedQuantity":0.0,"effectiveDate":"2026-09-01T00:00:00Z"${extra}}`;

const card = (meters: string[]) =>
  `{"locale":"en-US","currency":"EUR","isTaxIncluded":false,"meters":[${meters.join(',')}],` +
  `"offerTerms":[{"name":"Monetary Credit","discount":0.0,"excludedMeterIds":[],"effectiveDate":"2026-09-01T00:00:00Z"}],"attributes":{"objectType":"AzureRateCard"}}`;

const record = (quantity: string, day: string) =>
  `{"usageStartTime":"${day}T00:00:00+00:00","usageEndTime":"${day}T23:59:59+00:00","resource":{"id":"${METER}","name":"Standard IO - Block Blob","category":"Storage",` +
  `"subcategory":"Block Blob","region":"Azure West Europe"},"quantity":${quantity},"unit":"1 GB/Hr","infoFields":{},"instanceData":{"resourceUri":"/subscriptions/x/storageAccounts/logs",` +
  `"location":"westeurope","partNumber":"","orderNumber":"","tags":{"env":"prod"},"additionalInfo":{}},"attributes":{"objectType":"AzureUtilizationRecord"}}`;

describe('Azure rate card and utilization records (against a local HTTP fake)', () => {
  let pc: FakePartnerCenter;
  beforeEach(async () => {
    pc = await new FakePartnerCenter().start();
  });
  afterEach(() => pc.stop());

  const client = () =>
    new PartnerCenterClient({ baseUrl: pc.baseUrl, tokenUrl: pc.tokenUrl, resource: 'https://api.partnercenter.microsoft.com', appId: 'app', secret: 'secret value 42', retryBaseMs: 1, sleep: async () => undefined });

  it('keeps every digit of tiered rates and returns a malformed meter apart with its reason', async () => {
    pc.on('/v1/ratecards/azure', {
      raw: card([
        meter(METER, '{"0": 0.05000000000000000001, "1024":0.04}'),
        meter('bad-price', '{"0":"N/A"}'),
        meter('no-zero-tier', '{"100":1.5}'),
        meter('', '{"0":1}'),
      ]),
    });
    const rc = await client().rateCard('eur', 'de');
    expect(pc.requests.at(-1)?.url).toBe('/v1/ratecards/azure?currency=EUR&region=DE');
    expect(rc.currency).toBe('EUR');
    expect(rc.meters).toEqual([
      expect.objectContaining({ id: METER, rates: { '0': '0.05000000000000000001', '1024': '0.04' }, includedQuantity: '0', effectiveDate: '2026-09-01T00:00:00Z' }),
    ]);
    expect(rc.invalid.map((i) => i.reason)).toEqual([
      'rates.0: expected a decimal number',
      'rates: expected a tier starting at 0',
      'id: must not be empty',
    ]);
    expect((rc.invalid[0].record as { id: string }).id).toBe('bad-price');
  });

  it('fails the call (not a meter) when the body is not a rate card', async () => {
    pc.on('/v1/ratecards/azure', { json: { locale: 'en-US', meters: 'none' } });
    const err = (await client().rateCard().catch((e: unknown) => e)) as PartnerCenterError;
    expect(err).toBeInstanceOf(PartnerCenterError);
    expect(err.kind).toBe('invalid-response');
    expect(err.description).toMatch(/not an Azure rate card: currency/);
  });

  it('quotes only numbers inside a real "rates" object', () => {
    const json = '{"name":"x \\"rates\\":{\\"0\\":1}","rates":{"0":1e-7,"10":2},"includedQuantity":5}';
    expect(quoteRateValues(json)).toBe('{"name":"x \\"rates\\":{\\"0\\":1}","rates":{"0":"1e-7","10":"2"},"includedQuantity":5}');
  });

  it('pages utilization records with continuation and quarantines a bad record', async () => {
    const path = `/v1/customers/${CUSTOMER_ID}/subscriptions/${LEGACY_ID}/utilizations/azure`;
    pc.on(
      path,
      { raw: rawCollection([record('0.21779000000000000001', '2026-11-01'), record('true', '2026-11-02')], { uri: `${path.slice(3)}?size=1000&seekOperation=Next`, token: 'tok' }) },
      { raw: rawCollection([record('1', '2026-11-03')]) },
    );
    const pages = [];
    for await (const page of client().utilizationRecords({ customerId: CUSTOMER_ID, subscriptionId: LEGACY_ID, startTime: '2026-11-01T00:00:00Z', endTime: '2026-11-25T00:00:00Z' })) pages.push(page);
    expect(pc.requests.filter((r) => r.url.startsWith(path))[0].url).toBe(
      `${path}?start_time=2026-11-01T00%3A00%3A00Z&end_time=2026-11-25T00%3A00%3A00Z&granularity=daily&show_details=true&size=1000`,
    );
    expect(pages.map((p) => p.items.map((i) => i.quantity))).toEqual([['0.21779000000000000001'], ['1']]);
    expect(pages[0].invalid.map((i) => i.reason)).toEqual(['quantity: expected a decimal string (exact JSON number)']);
    expect(pages[0].items[0].instanceData?.resourceUri).toBe('/subscriptions/x/storageAccounts/logs');
  });
});
