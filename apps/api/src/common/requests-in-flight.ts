import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ForegroundLoad } from '@meridian/sync';

/**
 * The API requests this process is serving right now. In the embedded mode the sync runs on the
 * same event loop and gives way while this is non-zero (decision 0030).
 */
@Injectable()
export class RequestsInFlight extends ForegroundLoad {
  private count = 0;

  get busy(): boolean {
    return this.count > 0;
  }

  /** Counts a request from its arrival until its response closes (sent or aborted). */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (!req.path.startsWith('/api')) return next();
    this.count++;
    res.once('close', () => this.count--);
    next();
  };
}
