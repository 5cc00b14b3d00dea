import { startSimulator, type RunningSimulator } from './index';
import { parseDuration } from './simulator';
import { http } from './testing/helpers';

const post = (url: string, body: unknown) => http(`${url}/_sim/clock`, { method: 'POST', body: JSON.stringify(body) });

describe('pc-sim simulated clock', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: new Date('2026-11-25T12:00:00Z') });
  });
  afterEach(() => sim.close());

  it('parses ISO 8601 durations', () => {
    expect(parseDuration('P1D')).toBe(86_400_000);
    expect(parseDuration('PT6H')).toBe(6 * 3_600_000);
    expect(parseDuration('P1DT30M')).toBe(86_400_000 + 1_800_000);
    expect(parseDuration('P2W')).toBe(14 * 86_400_000);
    expect(parseDuration('-PT1H')).toBe(-3_600_000);
    for (const bad of ['P', 'PT', '1D', 'P1Y2', 'P1DT', 'xyz']) expect(parseDuration(bad)).toBeNull();
  });

  it('sets, advances (ISO duration or days) and reads the clock', async () => {
    expect((await http(`${sim.url}/_sim/clock`)).json).toEqual({ now: '2026-11-25T12:00:00.000Z' });
    expect((await post(sim.url, { advance: 'P1D' })).json.now).toBe('2026-11-26T12:00:00.000Z');
    expect((await post(sim.url, { advance: 'PT6H' })).json.now).toBe('2026-11-26T18:00:00.000Z');
    expect((await post(sim.url, { advance: 2 })).json.now).toBe('2026-11-28T18:00:00.000Z');
    expect((await post(sim.url, { advanceDays: 1 })).json.now).toBe('2026-11-29T18:00:00.000Z');
    expect((await post(sim.url, { now: '2027-01-09T00:00:00Z' })).json.now).toBe('2027-01-09T00:00:00.000Z');
    expect((await http(`${sim.url}/_sim/clock`)).json.now).toBe('2027-01-09T00:00:00.000Z');
    expect(sim.simulator.now().toISOString()).toBe('2027-01-09T00:00:00.000Z');
    for (const bad of [{ advance: 'soon' }, { now: 'never' }, {}, [1]]) expect((await post(sim.url, bad)).status).toBe(400);
    expect((await http(`${sim.url}/_sim/clock`, { method: 'POST', body: 'not json' })).status).toBe(400);
  });
});
