/**
 * The benchmark page cache (`--page-cache DIR`): a page read again is streamed from its file, byte
 * for byte what the simulator renders (also with malformed-record faults), and still counted.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { fetchAllUsage, getToken, http } from './testing/helpers';

const NOW = new Date('2026-11-25T12:00:00Z');

const readBodies = async (a: AccountInfo, token: string) => (await fetchAllUsage(a, token, 'previous', 150)).bodies;

describe('usage page cache', () => {
  let dir: string;
  let cached: RunningSimulator;
  let plain: RunningSimulator;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pc-sim-pages-'));
    cached = await startSimulator({ port: 0, seed: 42, now: NOW, pageCacheDir: dir });
    plain = await startSimulator({ port: 0, seed: 42, now: NOW });
  });
  afterAll(async () => {
    await cached.close();
    await plain.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a page read again from its file, identical to a rendered page, faults counted on every read', async () => {
    for (const sim of [cached, plain]) {
      const r = await http(`${sim.url}/_sim/faults/china`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rate: 0.05, kinds: ['malformed'] }) });
      expect(r.status).toBe(200);
    }
    const account = async (sim: RunningSimulator) => ((await http(`${sim.url}/_sim/accounts`)).json.items as AccountInfo[]).find((a) => a.id === 'china')!;
    const a = await account(cached);
    const b = await account(plain);
    const [ta, tb] = [await getToken(a), await getToken(b)];

    const first = await readBodies(a, ta);
    const files = readdirSync(dir).length;
    expect(first.length).toBeGreaterThan(2);
    expect(files).toBe(first.length);
    const again = await readBodies(a, ta);
    expect(readdirSync(dir).length).toBe(files); // nothing rendered again
    expect(again).toEqual(first);
    expect(await readBodies(b, tb)).toEqual(first);

    const injected = async (sim: RunningSimulator) => (await http(`${sim.url}/_sim/faults/china/log`)).json.injected.malformed as number;
    const perRead = await injected(plain);
    expect(perRead).toBeGreaterThan(0);
    expect(await injected(cached)).toBe(2 * perRead);
  });
});
