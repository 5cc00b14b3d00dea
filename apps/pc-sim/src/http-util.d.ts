import type { IncomingMessage, ServerResponse } from 'node:http';
export declare const JSON_TYPE = "application/json; charset=utf-8";
export declare function send(res: ServerResponse, status: number, body: string, headers?: Record<string, string>): void;
export declare function sendJson(res: ServerResponse, status: number, value: unknown, headers?: Record<string, string>): void;
export declare class BodyTooLarge extends Error {
}
export declare function readBody(req: IncomingMessage, limit?: number): Promise<string>;
/** Query parameters with lower-cased names (Partner Center treats them case-insensitively). */
export declare function lowerQuery(url: URL): Map<string, string>;
export declare function header(req: IncomingMessage, name: string): string | undefined;
