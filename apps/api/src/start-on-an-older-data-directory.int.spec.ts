import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { TimeSeriesResponse } from '@meridian/contracts';
import { ApiSession } from './testing/api-session';
import { ApiProcess, API_MAIN, startApiProcess, stopApiProcess } from './testing/api-process';

/**
 * Issue 17 (5): `npm start` on a data directory written by an earlier version (the store's upgrade
 * fixture: SQLite file + key file) migrates it on start, answers /api/health, and serves the totals
 * the earlier version recorded.
 */
const FIXTURE_DIR = path.join(__dirname, '..', '..', '..', 'libs', 'store', 'fixtures', 'upgrade');
const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'fixture.json'), 'utf8')) as {
  totals: { sqlite: Record<string, string> };
};

describe('the embedded api starts on an older data directory', () => {
  let dataDir: string;
  let api: ApiProcess | undefined;

  afterAll(async () => {
    await stopApiProcess(api);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates it on start and serves the same totals', async () => {
    if (!fs.existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run npx nx run @meridian/api:build`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-old-data-'));
    fs.writeFileSync(path.join(dataDir, 'meridian.sqlite'), zlib.gunzipSync(fs.readFileSync(path.join(FIXTURE_DIR, 'meridian.sqlite.gz'))));
    fs.copyFileSync(path.join(FIXTURE_DIR, 'secret.key'), path.join(dataDir, 'secret.key'));
    api = await startApiProcess({
      MERIDIAN_DATA_DIR: dataDir,
      MERIDIAN_OWNER_EMAIL: 'owner@example.test',
      MERIDIAN_OWNER_PASSWORD: 'an upgrade test password',
      // The fixture's accounts point at a simulator that is gone: no scheduled syncs meanwhile.
      MERIDIAN_SCHEDULER_TICK_SECONDS: '3600',
      MERIDIAN_QUERY_CACHE_SECONDS: '0',
    });
    expect((await fetch(`${api.base}/api/health`)).status).toBe(200);
    const owner = await ApiSession.login(api.base, 'owner@example.test', 'an upgrade test password');
    const r = await owner.get<TimeSeriesResponse>(
      '/api/costs/timeseries?granularity=month&groupBy=account&from=2026-01-01&to=2026-12-31&includeSandbox=true&includeEstimated=true',
    );
    expect(r.status).toBe(200);
    const served = Object.fromEntries(r.body.points.map((p) => [`${p.key}|${p.period}|${p.currency}`, p.amount]));
    expect(served).toEqual(fixture.totals.sqlite);
  }, 120_000);
});
