import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Request, Response } from 'express';
import { LoopTurnBudget } from './loop-turn-budget';

const CONNECTIONS = 40;
const WORK_MS = 2;

/**
 * A real HTTP server and 40 keep-alive connections that each send a request at the same moment,
 * every request costing 2 ms of the loop. Counts how many requests started between two runs of a
 * 1 ms interval timer: with a 10 ms budget at most 10 / 2 + 1, however fast or slow the machine
 * (the budget and the work are both wall clock).
 */
async function startsBetweenTimerRuns(budgetMs: number): Promise<number[]> {
  const budget = new LoopTurnBudget(budgetMs);
  let ticks = 0;
  const startsAtTick: number[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === '/warm') return void res.end('warm');
    budget.middleware(req as Request, res as unknown as Response, () => {
      startsAtTick.push(ticks);
      const until = performance.now() + WORK_MS;
      while (performance.now() < until) {
        // the request's own synchronous work
      }
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
  try {
    // Every connection open and idle first: the burst's requests then arrive in one turn of the loop.
    await Promise.all(Array.from({ length: CONNECTIONS }, () => get('/warm')));
    const ticker = setInterval(() => ticks++, 1);
    try {
      await Promise.all(Array.from({ length: CONNECTIONS }, () => get('/work')));
    } finally {
      clearInterval(ticker);
    }
  } finally {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
  expect(startsAtTick).toHaveLength(CONNECTIONS);
  const perTick = new Map<number, number>();
  for (const tick of startsAtTick) perTick.set(tick, (perTick.get(tick) ?? 0) + 1);
  return [...perTick.values()];
}

describe('LoopTurnBudget under a burst on real sockets', () => {
  it('starts at most budget / work + 1 requests between two runs of a timer', async () => {
    const groups = await startsBetweenTimerRuns(10);
    expect(Math.max(...groups)).toBeLessThanOrEqual(10 / WORK_MS + 1);
    expect(groups.length).toBeGreaterThanOrEqual(Math.ceil((CONNECTIONS * WORK_MS) / 10) - 1);
  });

  it('without a budget (0) the burst starts in far fewer turns, the timer waiting behind it', async () => {
    const groups = await startsBetweenTimerRuns(0);
    expect(Math.max(...groups)).toBeGreaterThan(10 / WORK_MS + 1);
  });
});
