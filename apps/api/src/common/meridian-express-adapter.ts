import { ExpressAdapter } from '@nestjs/platform-express';
import type { Response } from 'express';
import { PreparedJson } from './prepared-json';

/** Express as Nest drives it, plus answers that arrive already serialized (PreparedJson). */
export class MeridianExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (body instanceof PreparedJson) return body.writeTo(response, statusCode);
    return super.reply(response, body, statusCode);
  }
}
