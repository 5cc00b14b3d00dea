export declare class Signer {
    private readonly key;
    constructor(secret: string);
    sign(purpose: string, payload: string): string;
    verify(purpose: string, payload: string, sig: string): boolean;
}
export interface AccessClaims {
    /** token resource (audience) */
    aud: string;
    iss: string;
    /** cloud id of the authority that issued it */
    cloud: string;
    tid: string;
    appid: string;
    /** simulator account id the tenant belongs to */
    acct: string;
    iat: number;
    nbf: number;
    exp: number;
    ver: '1.0' | '2.0';
    jti: string;
}
export declare function issueAccessToken(signer: Signer, c: Omit<AccessClaims, 'jti'>): string;
/** Returns the claims if the token is well-formed and signed by this simulator; else null. */
export declare function readAccessToken(signer: Signer, token: string): AccessClaims | null;
/**
 * Continuation token: base64url(JSON cursor) + "." + HMAC over (scope, payload). The scope names
 * the account and query, so a token from another account or another query is refused.
 */
export declare function makeContinuation(signer: Signer, scope: string, cursor: Record<string, number>): string;
export declare function readContinuation(signer: Signer, scope: string, token: string): Record<string, number> | null;
