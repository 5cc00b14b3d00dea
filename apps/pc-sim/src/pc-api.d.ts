import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context';
/** Partner Center error numbers used by the simulator (values chosen by the simulator). */
export declare const PC_CODES: {
    readonly badRequest: 900400;
    readonly unauthorized: 900401;
    readonly notFound: 3000;
    readonly methodNotAllowed: 900405;
    readonly internal: 900500;
    readonly notImplemented: 900501;
};
export declare const MAX_USAGE_PAGE = 2000;
export declare const MAX_CUSTOMER_PAGE = 500;
export declare function pcErrorBody(code: number, description: string): string;
/** `segs` = path segments after "pc". */
export declare function handlePc(ctx: SimContext, req: IncomingMessage, res: ServerResponse, segs: string[], url: URL): Promise<void>;
export declare function pcNotFound(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL): void;
export declare function pcInternalError(ctx: SimContext, req: IncomingMessage, res: ServerResponse, err: unknown): void;
