import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { BreakdownResponse } from '@meridian/contracts';
import { normalizeDecimal } from '@meridian/finops';
import { startSimulator } from '@meridian/pc-sim';
import { ApiSession } from './testing/api-session';
import { ApiProcess, API_MAIN, startApiProcess, stopApiProcess } from './testing/api-process';

const NOW = new Date('2026-11-25T12:00:00Z');
const WINDOW = 'from=2026-10-01&to=2026-11-24';
const OWNER = { email: 'owner@example.test', password: 'a graceful shutdown password' };
const CLIENTS = 12;
const QUERIES = [
  `/api/costs/breakdown?groupBy=service,region&${WINDOW}`,
  `/api/costs/breakdown?groupBy=resourceGroup&${WINDOW}`,
  `/api/costs/summary?${WINDOW}`,
  `/api/costs/timeseries?granularity=day&${WINDOW}`,
  `/api/costs/line-items?limit=200&${WINDOW}`,
  '/api/accounts',
  '/api/health',
];

interface Outcome {
  /** Sent after the signal? */
  afterSignal: boolean;
  status?: number;
  error?: string;
}

/**
 * Issue 17 (8), embedded mode (SQLite, in-process queue): SIGTERM while the demo accounts sync and
 * 12 dashboard clients query. Requests in flight finish, none answers 5xx and none is cut off; the
 * api exits on its own; the sync stops after its current page and is recorded as interrupted; the
 * next start resumes it at once (not after the 5-minute retry of a failure) and ends with every
 * production account equal to the simulator's ground truth.
 */
describe('SIGTERM during a sync under HTTP load (embedded, SQLite)', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let dataDir: string;
  let api: ApiProcess | undefined;
  const env = () => ({
    MERIDIAN_DATA_DIR: dataDir,
    MERIDIAN_DEMO_SIM_URL: sim.url,
    MERIDIAN_NOW: NOW.toISOString(),
    MERIDIAN_OWNER_EMAIL: OWNER.email,
    MERIDIAN_OWNER_PASSWORD: OWNER.password,
    MERIDIAN_QUERY_CACHE_SECONDS: '0',
    // Small pages: the signal lands between two of many commits.
    MERIDIAN_PC_USAGE_PAGE_SIZE: '250',
  });

  beforeAll(async () => {
    if (!fs.existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run npx nx run @meridian/api:build`);
    sim = await startSimulator({ port: 0, seed: 42, now: NOW, graphDelaySeconds: 0 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-sigterm-'));
  });

  afterAll(async () => {
    await stopApiProcess(api, 'SIGKILL');
    await sim?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const runningSyncs = () => {
    const db = new Database(path.join(dataDir, 'meridian.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db
        .prepare(
          "SELECT account_id AS account, stream, pages, status, error FROM sync_run WHERE status = 'running' OR error LIKE 'interrupted by shutdown%'",
        )
        .all() as {
        account: string;
        stream: string;
        pages: number;
        status: string;
        error: string | null;
      }[];
    } finally {
      db.close();
    }
  };

  it('finishes requests in flight, answers no 5xx, stops the sync after a page, and resumes it on the next start', async () => {
    api = await startApiProcess(env());
    const session = await ApiSession.login(api.base, OWNER.email, OWNER.password);
    const deadline = Date.now() + 60_000;
    while (!runningSyncs().some((r) => r.status === 'running' && r.pages >= 2)) {
      if (Date.now() > deadline) throw new Error('no sync got under way');
      await new Promise((r) => setTimeout(r, 20));
    }

    let signalled = false;
    const outcomes: Outcome[] = [];
    const client = async (i: number) => {
      for (let n = i; ; n++) {
        const afterSignal = signalled;
        try {
          const res = await fetch(`${api!.base}${QUERIES[n % QUERIES.length]}`, { headers: session.headers() });
          await res.arrayBuffer();
          outcomes.push({ afterSignal, status: res.status });
        } catch (err) {
          const cause = (err as { cause?: { code?: string; message?: string } }).cause;
          outcomes.push({ afterSignal, error: cause?.code ?? cause?.message ?? String(err) });
          // Refused: the server has stopped listening, as it should once signalled.
          if (afterSignal) return;
        }
        if (signalled && outcomes.filter((o) => o.afterSignal).length > 2000) return;
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
    await new Promise((r) => setTimeout(r, 3000));
    signalled = true;
    const stopped = Date.now();
    const exit = await stopApiProcess(api, 'SIGTERM', 30_000);
    const stopMs = Date.now() - stopped;
    await Promise.all(clients);

    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    // Within a container's grace period (30 s on Kubernetes), even on a loaded machine: each sync
    // stops at its next page boundary.
    expect({ stopMs, output: stopMs < 30_000 ? '' : api.output().slice(-3000) }).toEqual({ stopMs: expect.any(Number), output: '' });
    const before = outcomes.filter((o) => !o.afterSignal);
    expect(before.length).toBeGreaterThan(CLIENTS);
    expect(before.filter((o) => o.status !== 200)).toEqual([]);
    // After the signal: answers (2xx, the requests in flight and those before the listener closed)
    // or a refused connection — never a 5xx, never a request cut off mid-way.
    const after = outcomes.filter((o) => o.afterSignal);
    expect(
      after.filter((o) => (o.status !== undefined && o.status >= 500) || (o.error !== undefined && o.error !== 'ECONNREFUSED')),
    ).toEqual([]);
    expect(after.filter((o) => o.status === 200).length).toBeGreaterThan(0);

    const left = runningSyncs();
    expect(left.filter((r) => r.status === 'running')).toEqual([]);
    expect(left.length).toBeGreaterThan(0);
    for (const r of left) expect(r.error).toMatch(/^interrupted by shutdown after \d+ pages/);

    // The next start: interrupted streams run at once, everything ends synced and exact.
    const restarted = Date.now();
    api = await startApiProcess(env());
    const owner = await ApiSession.login(api.base, OWNER.email, OWNER.password);
    // Well under the 5 minutes after which a failed stream is retried: the interrupted ones run at once.
    await owner.waitForDemoSync(200_000).catch((err: Error) => {
      throw new Error(
        `${err.message}; ${String((err as { cause?: unknown }).cause ?? '')}; exit ${api?.child.exitCode} ${api?.child.signalCode}; api output: ${api?.output().slice(-3000)}`,
      );
    });
    expect(Date.now() - restarted).toBeLessThan(5 * 60_000);
    for (const id of ['global-us', 'eu', 'usgov', 'china', 'germany']) {
      const { status, body } = await owner.get<BreakdownResponse>(`/api/costs/breakdown?groupBy=service,region&${WINDOW}&accountIds=${id}`);
      expect(status).toBe(200);
      const truth = (await (await fetch(`${sim.url}/_sim/ground-truth?account=${id}&${WINDOW}&groupBy=service,region`)).json()) as {
        currency: string;
        total: string;
        lineItems: number;
      };
      expect({ id, totals: body.totals }).toEqual({ id, totals: [{ currency: truth.currency, amount: normalizeDecimal(truth.total) }] });
    }
    await stopApiProcess(api, 'SIGTERM');
  }, 420_000);
});
