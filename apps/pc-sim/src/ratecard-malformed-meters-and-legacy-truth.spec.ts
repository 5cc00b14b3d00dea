/** Rate card under the `malformed` fault, and the ground truth of rate cards and legacy usage. */
import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { getToken, http, pcGet } from './testing/helpers';

interface Truth {
  meters: { id: string; rates: Record<string, string>; includedQuantity: string }[];
  malformed: { id: string; variant: string }[];
}

describe('rate card faults and ground truth', () => {
  let sim: RunningSimulator;
  let a: AccountInfo;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: new Date('2026-11-25T12:00:00Z') });
    a = ((await http(`${sim.url}/_sim/accounts`)).json.items as AccountInfo[]).find((x) => x.id === 'global-us')!;
  });
  afterEach(() => http(`${sim.url}/_sim/faults/${a.id}`, { method: 'DELETE' }));
  afterAll(() => sim.close());

  it('serves every meter intact without the fault, tiered rates as exact JSON numbers', async () => {
    const t = await getToken(a);
    const r = await pcGet(`${a.baseUrl}/v1/ratecards/azure`, t);
    expect(r.status).toBe(200);
    const truth = (await http(`${sim.url}/_sim/ground-truth/ratecard?account=${a.id}`)).json as Truth;
    expect(truth.malformed).toEqual([]);
    expect(r.json.meters.map((m: { id: string }) => m.id)).toEqual(truth.meters.map((m) => m.id));
    expect(r.text).toContain('"rates":{"0":');
    expect(truth.meters.some((m) => Object.keys(m.rates).length > 1)).toBe(true);
  });

  it('breaks the meters the ground truth names under the malformed fault, the same ones on every read', async () => {
    await http(`${sim.url}/_sim/faults/${a.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rate: 0.2, kinds: ['malformed'] }) });
    const t = await getToken(a);
    const first = await pcGet(`${a.baseUrl}/v1/ratecards/azure`, t);
    const again = await pcGet(`${a.baseUrl}/v1/ratecards/azure`, t);
    expect(again.text).toBe(first.text);
    const truth = (await http(`${sim.url}/_sim/ground-truth/ratecard?account=${a.id}`)).json as Truth;
    expect(truth.malformed.length).toBeGreaterThan(0);
    const served = first.json.meters as Record<string, unknown>[];
    expect(served).toHaveLength(truth.meters.length + truth.malformed.length);
    for (const { id, variant } of truth.malformed) {
      const m = served.find((x) => x.id === id)!;
      if (variant === 'rate-not-a-number') expect((m.rates as Record<string, unknown>)['0']).toBe('N/A');
      if (variant === 'missing-effective-date') expect(m.effectiveDate).toBeUndefined();
      if (variant === 'included-quantity-wrong-type') expect(m.includedQuantity).toBe(true);
    }
    expect((await http(`${sim.url}/_sim/faults/${a.id}/log`)).json.injected).toEqual({ malformed: truth.malformed.length * 2 });
  });

  it('lists the legacy subscription’s daily quantities, the same the utilization API serves', async () => {
    const truth = (await http(`${sim.url}/_sim/ground-truth/legacy?account=${a.id}&from=2026-11-01&to=2026-11-30`)).json;
    expect(truth.subscriptions).toHaveLength(1);
    const sub = truth.subscriptions[0];
    const days = new Set(sub.resources.flatMap((r: { days: { day: string }[] }) => r.days.map((d) => d.day)));
    expect([...days].sort().at(-1)).toBe('2026-11-24');
    const t = await getToken(a);
    const r = await pcGet(`${a.baseUrl}/v1/customers/${sub.customerId}/subscriptions/${sub.subscriptionId}/utilizations/azure?start_time=2026-11-01T00:00:00Z&end_time=2026-12-01T00:00:00Z`, t);
    const served = (r.json.items as { resource: { id: string }; quantity: number; usageStartTime: string }[]).map((i) => `${i.resource.id}|${i.usageStartTime.slice(0, 10)}|${i.quantity}`).sort();
    const expected = sub.resources.flatMap((res: { meterId: string; days: { day: string; quantity: string }[] }) => res.days.map((d) => `${res.meterId}|${d.day}|${Number(d.quantity)}`)).sort();
    expect(served).toEqual(expected);
    expect((await http(`${sim.url}/_sim/ground-truth/legacy?account=eu&from=2026-11-01&to=2026-11-30`)).json.subscriptions).toEqual([]);
  });
});
