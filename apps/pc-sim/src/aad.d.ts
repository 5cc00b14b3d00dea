import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context';
/** `segs` = path segments after "login". */
export declare function handleLogin(ctx: SimContext, req: IncomingMessage, res: ServerResponse, segs: string[]): Promise<void>;
