import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { RequestsInFlight } from './requests-in-flight';

describe('RequestsInFlight', () => {
  it('counts API requests from arrival until their response closes, sent or aborted', () => {
    const inFlight = new RequestsInFlight();
    const next: NextFunction = jest.fn();
    const request = (path: string) => {
      const res = new EventEmitter();
      inFlight.middleware({ path } as Request, res as unknown as Response, next);
      return res;
    };
    expect(inFlight.busy).toBe(false);
    const a = request('/api/costs/breakdown');
    const b = request('/api/health');
    request('/assets/index.js'); // the web app's files are not API work
    expect(inFlight.busy).toBe(true);
    a.emit('close');
    expect(inFlight.busy).toBe(true);
    b.emit('close');
    expect(inFlight.busy).toBe(false);
    expect(next).toHaveBeenCalledTimes(3);
  });
});
