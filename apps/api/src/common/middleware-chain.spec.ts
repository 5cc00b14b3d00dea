import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { middlewareChain, whenBody } from './middleware-chain';

type Outcome = { ran: string[]; next: unknown[] };

/** Runs `handler` on a request with these headers; resolves once it called next or answered. */
async function run(handler: RequestHandler, headers: Record<string, string> = {}): Promise<Outcome & { req: Request }> {
  const ran: string[] = [];
  const req = { headers, ran } as unknown as Request;
  const res = {} as Response;
  const next: unknown[] = [];
  await new Promise<void>((resolve) => {
    const answered = setTimeout(resolve, 20);
    handler(req, res, ((err?: unknown) => {
      next.push(err);
      clearTimeout(answered);
      resolve();
    }) as NextFunction);
  });
  return { ran: (req as unknown as { ran: string[] }).ran, next, req };
}

const mark =
  (name: string): RequestHandler =>
  (req, _res, next) => {
    (req as unknown as { ran: string[] }).ran.push(name);
    next();
  };
const boom = new Error('boom');

describe('middlewareChain', () => {
  const cases: Array<{ name: string; handlers: RequestHandler[]; ran: string[]; next: unknown[] }> = [
    {
      name: 'runs every handler in order, then the outer next once',
      handlers: [mark('a'), mark('b'), mark('c')],
      ran: ['a', 'b', 'c'],
      next: [undefined],
    },
    { name: 'no handlers: the outer next at once', handlers: [], ran: [], next: [undefined] },
    {
      name: 'next(err) skips the rest and passes the error on',
      handlers: [mark('a'), (_q, _s, next) => next(boom), mark('c')],
      ran: ['a'],
      next: [boom],
    },
    {
      name: 'a handler that throws: its error goes on, the rest is skipped',
      handlers: [
        mark('a'),
        () => {
          throw boom;
        },
        mark('c'),
      ],
      ran: ['a'],
      next: [boom],
    },
    {
      name: 'an async handler that rejects: its error goes on (as Express 5 does)',
      handlers: [mark('a'), async () => Promise.reject(boom), mark('c')],
      ran: ['a'],
      next: [boom],
    },
    {
      name: 'a handler that answers without next ends the chain',
      handlers: [mark('a'), (req) => void (req as unknown as { ran: string[] }).ran.push('answered'), mark('c')],
      ran: ['a', 'answered'],
      next: [],
    },
    {
      name: 'a handler that continues later (a callback) keeps the order',
      handlers: [mark('a'), (_q, _s, next) => void setImmediate(next), mark('c')],
      ran: ['a', 'c'],
      next: [undefined],
    },
  ];
  it.each(cases)('$name', async ({ handlers, ran, next }) => {
    const outcome = await run(middlewareChain(...handlers));
    expect(outcome.ran).toEqual(ran);
    expect(outcome.next).toEqual(next);
  });
});

describe('whenBody', () => {
  const cases: Array<{ name: string; headers: Record<string, string>; parsed: boolean }> = [
    { name: 'a GET without body headers skips the parsers', headers: {}, parsed: false },
    { name: 'Content-Length (even 0) runs them, as body-parser decides', headers: { 'content-length': '0' }, parsed: true },
    { name: 'a chunked body runs them', headers: { 'transfer-encoding': 'chunked' }, parsed: true },
  ];
  it.each(cases)('$name', async ({ headers, parsed }) => {
    const outcome = await run(whenBody(mark('json'), mark('text')), headers);
    expect(outcome.ran).toEqual(parsed ? ['json', 'text'] : []);
    expect(outcome.next).toEqual([undefined]);
    // Without a body, req.body is there and undefined, as body-parser leaves it.
    if (!parsed) expect('body' in outcome.req && outcome.req.body === undefined).toBe(true);
  });
});
