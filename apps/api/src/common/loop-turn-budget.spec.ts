import type { Request, Response } from 'express';
import { LoopTurnBudget } from './loop-turn-budget';

/** What started, in order, with a marker where a timer set after the burst ran. */
type Trace = Array<number | 'timer'>;

/**
 * A burst of requests arriving in one turn of the loop, each costing `costMs` of a fake clock when
 * it starts; `later` arrive in the check phase of that turn (after it closed, before any timer).
 */
async function burst(budgetMs: number, count: number, costMs: number, options: { later?: number; abandoned?: Set<number> } = {}) {
  let clock = 0;
  const trace: Trace = [];
  let deferred = 0;
  const budget = new LoopTurnBudget(budgetMs, () => deferred++, () => clock);
  const arrive = (id: number) =>
    budget.admit(
      () => {
        clock += costMs;
        trace.push(id);
      },
      () => options.abandoned?.has(id) ?? false,
    );
  for (let id = 0; id < count; id++) arrive(id);
  const startedInArrivalTurn = trace.length;
  setTimeout(() => trace.push('timer'), 0);
  if (options.later) setImmediate(() => Array.from({ length: options.later! }, (_, i) => arrive(count + i)));
  while (budget.waitingCount > 0 || !trace.includes('timer')) await new Promise((resolve) => setTimeout(resolve, 1));
  return { trace, startedInArrivalTurn, deferred };
}

const ids = (trace: Trace) => trace.filter((entry): entry is number => entry !== 'timer');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('LoopTurnBudget', () => {
  it.each([
    // budget ms, requests, ms each, started in the arrival turn, deferred
    { budgetMs: 10, count: 5, costMs: 1, inTurn: 5, deferred: 0 },
    { budgetMs: 10, count: 30, costMs: 1, inTurn: 10, deferred: 20 },
    { budgetMs: 10, count: 3, costMs: 25, inTurn: 1, deferred: 2 }, // one long request spends the turn
    { budgetMs: 0, count: 30, costMs: 1, inTurn: 30, deferred: 0 }, // 0: no bound
  ])('budget $budgetMs ms, $count requests of $costMs ms: $inTurn start in their turn, $deferred wait', async ({ budgetMs, count, costMs, inTurn, deferred }) => {
    const result = await burst(budgetMs, count, costMs);
    expect(result.startedInArrivalTurn).toBe(inTurn);
    expect(result.deferred).toBe(deferred);
    // Every request starts exactly once, in arrival order.
    expect(ids(result.trace)).toEqual(range(count));
  });

  it('lets a timer run between the turns that start the waiting requests', async () => {
    const { trace } = await burst(10, 30, 1);
    // 10 in the arrival turn, 10 in the next turn's timers phase, then the test's timer, then the last 10.
    expect(trace.indexOf('timer')).toBe(20);
  });

  it('queues a request that arrives in a fresh turn behind the ones still waiting', async () => {
    const { trace } = await burst(10, 15, 1, { later: 2 });
    expect(ids(trace)).toEqual(range(17));
  });

  it('drops a waiting request whose client went away', async () => {
    const { trace, deferred } = await burst(10, 20, 1, { abandoned: new Set([12, 15]) });
    expect(deferred).toBe(10);
    expect(ids(trace)).toEqual(range(20).filter((id) => id !== 12 && id !== 15));
  });

  it('as middleware: starts the route, or skips it once the response has closed', async () => {
    let clock = 0;
    const budget = new LoopTurnBudget(5, undefined, () => clock);
    const started: string[] = [];
    const request = (name: string, closed: () => boolean) =>
      budget.middleware({ destroyed: false } as Request, { get closed() { return closed(); } } as unknown as Response, () => {
        clock += 5;
        started.push(name);
      });
    let gone = false;
    request('first', () => false); // spends the turn
    request('kept', () => false);
    request('gone', () => gone);
    gone = true;
    while (budget.waitingCount > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(started).toEqual(['first', 'kept']);
  });
});
