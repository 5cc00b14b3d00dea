import { ExpressAdapter } from '@nestjs/platform-express';
import type { Response } from 'express';
import { PreparedJson } from './prepared-json';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Express as Nest drives it, plus answers that arrive already serialized (PreparedJson), and the
 * one place every write through the api is counted (`onWriteReply`, ApiWrites): Nest replies
 * through here to every request whose handler returned or threw (exception filters too), after its
 * work and before its bytes. A global interceptor did this before, but any global interceptor puts
 * two AsyncResource.bind calls (each making two deprecation wrappers) on every route, health probes
 * included (docs/performance.md, issue 15). Handlers that write the response themselves (`@Res()`
 * without passthrough) bypass it: there are only GETs among them (OIDC redirects, exports).
 */
export class MeridianExpressAdapter extends ExpressAdapter {
  private onWrite?: () => void;

  /** `fn` runs before the reply to each request other than GET, HEAD and OPTIONS is written. */
  onWriteReply(fn: () => void): void {
    this.onWrite = fn;
  }

  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (this.onWrite && !READ_METHODS.has(response.req.method)) this.onWrite();
    if (body instanceof PreparedJson) return body.writeTo(response, statusCode);
    return super.reply(response, body, statusCode);
  }
}
