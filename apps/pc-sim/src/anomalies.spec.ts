import { startSimulator, type RunningSimulator } from './index';
import { D, http } from './testing/helpers';

describe('pc-sim planted anomalies', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: new Date('2026-11-25T12:00:00Z') });
  });
  afterAll(() => sim.close());

  it('lists one or two spikes that the ground truth shows against the weeks around them', async () => {
    const { items } = (await http(`${sim.url}/_sim/anomalies`)).json;
    expect(items.length).toBeGreaterThanOrEqual(1);
    expect(items.length).toBeLessThanOrEqual(2);
    expect((await http(`${sim.url}/_sim/planted`)).json.anomalies).toEqual(items);
    for (const a of items) {
      expect(a).toMatchObject({ kind: 'spike', served: true, factor: expect.any(Number) });
      expect(new D(a.amount).div(a.baselineAmount).toNumber()).toBeGreaterThan(a.factor * 0.8);
      // Ground truth by service over the surrounding weeks: the spike day stands out, the others do not.
      const day = new Date(`${a.date}T00:00:00Z`).getTime();
      const ymd = (t: number) => new Date(t).toISOString().slice(0, 10);
      const daily: { day: string; amount: D }[] = [];
      for (let t = day - 14 * 86_400_000; t <= day + 7 * 86_400_000; t += 86_400_000) {
        const g = (await http(`${sim.url}/_sim/ground-truth?account=${a.account}&from=${ymd(t)}&to=${ymd(t)}&groupBy=service`)).json;
        daily.push({ day: ymd(t), amount: new D(g.rows.find((r: { keys: { service: string } }) => r.keys.service === a.service)?.amount ?? 0) });
      }
      expect(daily.find((d) => d.day === a.date)!.amount.toFixed()).toBe(new D(a.amount).toFixed());
      const others = daily.filter((d) => d.day !== a.date).map((d) => d.amount);
      const max = others.reduce((m, x) => (x.gt(m) ? x : m), new D(0));
      expect(new D(a.amount).gt(max.times(2))).toBe(true);
    }
  });

  it('is deterministic from the seed', async () => {
    const other = await startSimulator({ port: 0, seed: 42, now: new Date('2026-11-25T12:00:00Z') });
    try {
      expect((await http(`${other.url}/_sim/anomalies`)).json).toEqual((await http(`${sim.url}/_sim/anomalies`)).json);
    } finally {
      await other.close();
    }
  });
});
