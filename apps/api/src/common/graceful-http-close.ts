import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * Graceful shutdown of the HTTP side (SIGTERM): Nest closes the server after the sync queue has
 * stopped (the queue closes in beforeApplicationShutdown). From then on new connections are refused,
 * requests in flight finish, each keep-alive connection is closed after its next answer
 * (`Connection: close`), and idle ones at their keep-alive timeout — which clients know from the
 * Keep-Alive header — instead of at once, where a request already on its way would be cut off.
 * Returns the middleware that marks the answers; mount it first.
 */
export function gracefulHttpClose(server: Server): (req: Request, res: Response, next: NextFunction) => void {
  let draining = false;
  const close = server.close.bind(server);
  server.close = ((callback?: (err?: Error) => void) => {
    draining = true;
    // Node's close() also closes the idle keep-alive connections at once (closeIdleConnections).
    const closeIdle = server.closeIdleConnections;
    server.closeIdleConnections = () => undefined;
    try {
      return close(callback);
    } finally {
      server.closeIdleConnections = closeIdle;
    }
  }) as Server['close'];
  return (_req, res, next) => {
    if (draining) res.setHeader('Connection', 'close');
    next();
  };
}
